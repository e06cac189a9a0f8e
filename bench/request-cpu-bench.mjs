#!/usr/bin/env node
// Where one non-streamed request's CPU goes (issue 22 item 1): the server's event loop (main thread)
// against its other threads (the log encoder thread, DuckDB's threads, V8's GC and compiler helpers,
// libuv's pool), per request, for the request log's settings side by side, against the floor proxy.
// Same-dialect chat (OpenAI client → OpenAI mock), 50 connections, interleaved repetitions; CPU from
// /proc/<pid>/task/*/stat over each leg, divided by the 2xx answers.
//
//   npm run bench:request-cpu
//   BENCH_CONFIGS  which Rosetta settings to compare (default: all of CONFIGS below, comma-separated)
//   BENCH_ENTRIES=/path/a/.output/server/index.mjs,/path/b/.output/server/index.mjs  compares builds (#1, #2, … in the table)
//   BENCH_CONNECTIONS (50; another count writes request-cpu[-builds]-<n>conn-latest.md), BENCH_SECONDS (5), BENCH_REPS (3)
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { noiseMeter, threadCpuSeconds } from './lib/proc.mjs'
import { summary, fmt } from './lib/stats.mjs'
import { logCounts } from './lib/clients.mjs'
import { ADMIN_KEY, CLIENT_KEY, benchEntries, envNumber, interleaved, startMockAndFloor, startRosetta, writeBenchConfig } from './lib/cpu-legs.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const CONN = envNumber('BENCH_CONNECTIONS', 50)
const SECS = envNumber('BENCH_SECONDS', 5)
const REPS = envNumber('BENCH_REPS', 3)

/** The request log's settings compared: what logging costs, and where (main thread or not). */
const CONFIGS = {
  default: {},
  'bodies off': { NUXT_LOG_BODIES: 'false' },
  'encoder inline': { NUXT_LOG_ENCODER_THREAD: 'false' },
  // What the request log costs in all: a queue of one entry drops nearly every row (the report shows
  // how many were written), so this leg is Rosetta without its log, everything else the same.
  'log dropped': { NUXT_LOG_QUEUE_MAX: '1', NUXT_LOG_BODIES: 'false' },
}
const ENTRIES = benchEntries()
const chosen = (process.env.BENCH_CONFIGS || Object.keys(CONFIGS).join(',')).split(',')
for (const c of chosen) if (!(c in CONFIGS)) throw new Error(`BENCH_CONFIGS: unknown '${c}' (known: ${Object.keys(CONFIGS).join(', ')})`)

const body = JSON.stringify({ model: 'gpt-bench', messages: [{ role: 'user', content: 'Hello, how are you?' }], max_tokens: 64 })
const headers = { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` }

const procs = []
const dir = mkdtempSync(join(tmpdir(), 'rosetta-request-cpu-'))
try {
  const { mockPort, floor, floorOrigin } = await startMockAndFloor(procs)
  const path = '/v1/chat/completions'
  const legs = [{ name: 'floor', pid: floor.pid, t: { origin: floorOrigin, path, method: 'POST', headers, body } }]
  const config = join(dir, 'rosetta.yaml')
  writeBenchConfig(config, mockPort, 'gpt-')
  for (const [e, entry] of ENTRIES.entries()) {
    const tag = ENTRIES.length > 1 ? `#${e + 1} ` : ''
    for (const [i, name] of chosen.entries()) {
      const { proc, origin } = await startRosetta(procs, { entry, dir, name: `r${e}-${i}`, config, settings: CONFIGS[name] })
      legs.push({ name: `${tag}rosetta, ${name}`, pid: proc.pid, origin, t: { origin, path, method: 'POST', headers, body } })
    }
  }
  // This process (the load generator) is part of the bench, not noise.
  const noise = noiseMeter([process.pid, ...procs.map((p) => p.pid)])
  const out = Object.fromEntries(legs.map((l) => [l.name, { main: [], other: [], total: [], rps: [] }]))
  await interleaved(legs, { reps: REPS, seconds: SECS, connections: CONN }, async (l, run) => {
    const a = threadCpuSeconds(l.pid)
    const r = await run()
    const b = threadCpuSeconds(l.pid)
    const per = (s) => (s / r.requests) * 1e6
    const o = out[l.name]
    o.main.push(per(b.main - a.main))
    o.other.push(per(b.other - a.other))
    o.total.push(per(b.main - a.main + b.other - a.other))
    o.rps.push(r.rps)
  })
  const n = noise()
  for (const l of legs) if (l.origin) l.log = await logCounts(l.origin, ADMIN_KEY)
  // Ratios per repetition, then the median: the floor and Rosetta share each repetition's machine.
  const ratio = (name) => summary(out[name].total.map((x, i) => x / out.floor.total[i]))
  let md = `# CPU per request by thread — ${new Date().toISOString()}\n\nSame-dialect chat, not streamed, ${CONN} connections, ${SECS} s × ${REPS} interleaved repetitions. µs of CPU per 2xx answer, median (min–max). "Event loop" is the main thread; "other threads" are the log encoder thread, DuckDB's, V8's GC and compiler helpers and libuv's pool together (Linux names them all \`node\`). Machine noise: ${n.foreignCores.toFixed(2)} cores outside the bench.\n\n| leg | all threads | ÷ floor | event loop | other threads | requests/s | log rows written / dropped, bodies dropped |\n|---|---:|---:|---:|---:|---:|---|\n`
  for (const l of legs) {
    const o = out[l.name]
    md += `| ${l.name} | ${fmt(summary(o.total), 0)} | ${l.name === 'floor' ? '1' : fmt(ratio(l.name), 2)} | ${fmt(summary(o.main), 0)} | ${fmt(summary(o.other), 0)} | ${fmt(summary(o.rps), 0)} | ${l.log ? `${l.log.written} / ${l.log.dropped}, ${l.log.bodiesDropped}` : ''} |\n`
  }
  md += `\nSettings: ${chosen.map((c) => `${c} = ${JSON.stringify(CONFIGS[c])}`).join('; ')}\n`
  if (ENTRIES.length > 1) md += `\nBuilds: ${ENTRIES.map((e, i) => `#${i + 1} = \`${e}\``).join('; ')}\n`
  console.log(md)
  mkdirSync(join(HERE, 'results'), { recursive: true })
  // A run at another connection count, or comparing builds, keeps its own file beside the usual one.
  const file = `request-cpu${ENTRIES.length > 1 ? '-builds' : ''}${CONN === 50 ? '' : `-${CONN}conn`}-latest.md`
  writeFileSync(join(HERE, 'results', file), md)
} finally {
  for (const p of procs.reverse()) await p.stop()
  rmSync(dir, { recursive: true, force: true })
}
