// What the CPU benches (stream-cpu, request-cpu) share: the mock upstream and the floor proxy, built
// Rosetta servers configured against the mock, and legs run interleaved over repetitions.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startNode, portLine } from './proc.mjs'
import { throughputLeg } from './clients.mjs'

const BENCH = join(dirname(fileURLToPath(import.meta.url)), '..')
export const CLIENT_KEY = 'rk-bench-client-0123456789abcdefghij'
export const UPSTREAM_KEY = 'sk-bench-upstream'
export const ADMIN_KEY = 'rsk-bench-admin-0123456789abcdefghij'
export const BUILT_ENTRY = join(BENCH, '../.output/server/index.mjs')

/** A numeric setting from the environment (BENCH_REPS and the like), or its default. */
export const envNumber = (name, fallback) => Number(process.env[name] ?? fallback)

/** The builds a bench runs: BENCH_ENTRIES (comma-separated `.output/server/index.mjs` paths), else this checkout's. */
export const benchEntries = () => (process.env.BENCH_ENTRIES || BUILT_ENTRY).split(',')

/** Starts the mock upstream and the floor proxy in front of it (both pushed to `procs` for the caller to stop). */
export async function startMockAndFloor(procs) {
  const mock = startNode([join(BENCH, 'mock-upstream.mjs')], { PORT: '0' }, { ready: portLine })
  procs.push(mock)
  const mockPort = await mock.started
  const floor = startNode([join(BENCH, 'floor-proxy.mjs')], { PORT: '0', UPSTREAM: `http://127.0.0.1:${mockPort}`, UPSTREAM_KEY }, { ready: portLine })
  procs.push(floor)
  return { mockPort, floor, floorOrigin: `http://127.0.0.1:${await floor.started}` }
}

/** Rosetta's configuration for a bench: one OpenAI provider (the mock), a route for the models starting `prefix`, one client key. */
export function writeBenchConfig(file, mockPort, prefix) {
  writeFileSync(
    file,
    `providers:\n  - id: mock\n    type: openai\n    base_url: http://127.0.0.1:${mockPort}/v1\n    keys: [${UPSTREAM_KEY}]\nroutes:\n  - { name: bench, match: { prefix: "${prefix}" }, provider: mock, priority: 10 }\ndefault_provider: mock\nclient_keys:\n  - { name: bench, key: ${CLIENT_KEY} }\n`,
  )
}

/** A built Rosetta on a random free-ish port with its own data folder under `dir`; resolves with its origin once ready. */
export async function startRosetta(procs, { entry = BUILT_ENTRY, dir, name, config, settings = {} }) {
  // Below Linux's ephemeral range (32768–60999), where an outgoing connection may hold the port.
  const port = 20000 + Math.floor(Math.random() * 10000)
  const data = join(dir, name)
  mkdirSync(data)
  const env = { PORT: String(port), HOST: '127.0.0.1', NUXT_DB_PATH: join(data, 'rosetta.duckdb'), NUXT_ADMIN_KEY: ADMIN_KEY, NUXT_CONFIG_FILE: config, ...settings }
  const r = startNode([entry], env, { cwd: data, ready: (l) => (l.includes('Rosetta is ready') ? true : undefined), timeoutMs: 60_000 })
  procs.push(r)
  await r.started
  return { proc: r, origin: `http://127.0.0.1:${port}` }
}

/**
 * Warms every leg up, then runs them `reps` times, interleaved and rotated so that a slow moment of the
 * machine does not land on one leg every time. `measure(leg, run)` wraps one leg's run (a throughput leg
 * of `seconds` at `connections`) and records what it wants.
 */
export async function interleaved(legs, { reps, seconds, connections }, measure) {
  for (const l of legs) await throughputLeg(l.t, connections, 2, { keepLatencies: false })
  for (let rep = 0; rep < reps; rep++) {
    const order = legs.map((_, i) => legs[(i + rep) % legs.length])
    for (const l of order) {
      await measure(l, async () => {
        const r = await throughputLeg(l.t, connections, seconds, { keepLatencies: false })
        if (r.errors) console.error(`${l.name}: ${r.errors} errors`)
        return r
      })
    }
  }
}
