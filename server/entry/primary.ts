import cluster, { type Worker } from 'node:cluster'
import { availableParallelism } from 'node:os'

/*
 * The primary process of NUXT_WORKERS > 1. This file imports node built-ins only, and nothing of
 * the app imports it: the bundler then keeps it out of the app's chunk, so the primary never loads
 * (never boots) the app. The worker side (its index, its "ready" message) is
 * services/ops/workers.ts; the two constants below are repeated there (a unit test holds them equal).
 */

/**
 * NUXT_WORKERS: how many server processes share the one listening port (node:cluster: the primary
 * listens, hands each new connection to the next worker in turn). Unset, empty or `1`: no fork at
 * all, the single process of before. `auto`: one per core (os.availableParallelism()).
 */
export const MAX_WORKERS = 64

export function parseWorkers(raw: string | undefined, cores = availableParallelism()): number {
  const v = (raw ?? '').trim().toLowerCase()
  if (v === '' || v === '1') return 1
  if (v === 'auto') return Math.min(Math.max(1, cores), MAX_WORKERS)
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_WORKERS) {
    throw new Error(`NUXT_WORKERS must be a whole number from 1 to ${MAX_WORKERS} or "auto" (got "${raw}")`)
  }
  return Number(v)
}

/** The variable a forked worker finds its stable index (1…n) in; a re-forked worker keeps its index. */
export const WORKER_ENV = 'ROSETTA_WORKER'

/** The message a worker sends the primary once its boot finished. */
export const READY_MESSAGE = 'rosetta:ready'

/**
 * Why the primary refuses to fork: the embedded DuckDB file can be opened by one process only, and
 * the IPC store that would let the other workers reach it is not built yet. Cluster mode (PostgreSQL
 * + Redis) already shares everything between instances, so each worker is one more instance.
 */
export function workersRefusal(env: NodeJS.ProcessEnv): string | null {
  if (env.NUXT_DATABASE_URL && env.NUXT_REDIS_URL) return null
  return 'NUXT_WORKERS above 1 needs cluster mode (NUXT_DATABASE_URL and NUXT_REDIS_URL): the embedded DuckDB file is opened by one process only'
}

export type PrimaryLog = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void

/** The primary's lines, in the structured logger's format (utils/logger.ts), named `primary`. */
export const primaryLog: PrimaryLog = (level, msg, fields) => {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, instance: 'primary', ...fields })
  ;(level === 'info' ? process.stdout : process.stderr).write(line + '\n')
}

/**
 * The primary: forks `n` workers and keeps them: a worker that dies after its boot finished is
 * re-forked with the same index (its in-flight requests are lost with it; the others serve on). A
 * worker that dies before its boot finished (bad settings, a store it cannot reach) would only die
 * again, so the primary stops them all and exits 1. SIGTERM/SIGINT are passed to every worker, each
 * shuts down gracefully (drain, log flush, store closed), and the primary exits once all have:
 * 0 when every worker exited 0.
 */
export function runPrimary(n: number, log: PrimaryLog = primaryLog, exit: (code: number) => void = (c) => process.exit(c)): void {
  const ready = new Set<number>()
  let stopping = false
  let failed = false
  const live = new Map<number, Worker>()

  const fork = (index: number) => {
    const w = cluster.fork({ [WORKER_ENV]: String(index) })
    live.set(index, w)
    w.on('message', (m) => {
      if (m !== READY_MESSAGE) return
      ready.add(index)
      if (ready.size === n && !stopping) log('info', 'all workers ready', { workers: n })
    })
    w.on('exit', (code, signal) => {
      if (live.get(index) === w) live.delete(index)
      if (stopping) {
        if (code !== 0) failed = true
        if (live.size === 0) exit(failed ? 1 : 0)
        return
      }
      if (!ready.has(index)) {
        log('error', 'a worker could not start: stopping all', { worker: index, code, signal })
        failed = true
        stop('SIGTERM')
        return
      }
      ready.delete(index)
      log('warn', 'worker died: forking a replacement', { worker: index, code, signal })
      fork(index)
    })
  }

  const stop = (sig: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    if (live.size === 0) return exit(failed ? 1 : 0)
    for (const w of live.values()) w.process.kill(sig)
  }

  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => stop(sig))
  log('info', 'forking workers', { workers: n, pid: process.pid })
  for (let i = 1; i <= n; i++) fork(i)
}
