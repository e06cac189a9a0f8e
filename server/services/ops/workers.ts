import cluster from 'node:cluster'

/*
 * The worker side of NUXT_WORKERS > 1 (the primary is server/entry/primary.ts, kept apart so the
 * primary never loads the app). These two constants are the primary's (tests/unit/ops/workers.test.ts
 * holds them equal).
 */
export const WORKER_ENV = 'ROSETTA_WORKER'
export const READY_MESSAGE = 'rosetta:ready'

/** This process's worker index (1…n, kept by a re-forked worker), or null when it is the only process. */
export function workerIndex(env: NodeJS.ProcessEnv = process.env): number | null {
  if (!cluster.isWorker) return null
  const n = Number(env[WORKER_ENV])
  return Number.isInteger(n) && n > 0 ? n : null
}

/** Tells the primary this worker's boot finished: from now on, dying means being re-forked. */
export function announceReady(): void {
  if (cluster.isWorker && process.send) process.send(READY_MESSAGE)
}
