#!/usr/bin/env node
// Where one non-streamed request's CPU goes (issue 22 item 1): the server's event loop (main thread)
// against its other threads (the log encoder thread, DuckDB's threads, V8's GC and compiler helpers,
// libuv's pool), per request, for the request log's settings side by side, against the floor proxy.
// Same-dialect chat (OpenAI client → OpenAI mock), 50 connections, interleaved repetitions; CPU from
// /proc/<pid>/task/*/stat over each leg, divided by the 2xx answers.
//
//   npm run bench:request-cpu
//   BENCH_CONFIGS  which Rosetta settings to compare (default: all of CONFIGS below, comma-separated)
//   BENCH_CONNECTIONS (50), BENCH_SECONDS (5), BENCH_REPS (3)
import { mkdtempSync, writeFileSync, rmSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startNode, portLine, noiseMeter, CLK_TCK } from './lib/proc.mjs'
import { throughputLeg } from './lib/clients.mjs'
import { summary, fmt } from './lib/stats.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const env = (k, d) => Number(process.env[k] ?? d)
const CONN = env('BENCH_CONNECTIONS', 50)
const SECS = env('BENCH_SECONDS', 5)
const REPS = env('BENCH_REPS', 3)
const ENTRY = join(HERE, '../.output/server/index.mjs')
const CLIENT_KEY = 'rk-bench-client-0123456789abcdefghij'
const UPSTREAM_KEY = 'sk-bench-upstream'

/** The request log's settings compared: what logging costs, and where (main thread or not). */
const CONFIGS = {
  default: {},
  'bodies off': { NUXT_LOG_BODIES: 'false' },
  'encoder inline': { NUXT_LOG_ENCODER_THREAD: 'false' },
}
const chosen = (process.env.BENCH_CONFIGS || Object.keys(CONFIGS).join(',')).split(',')
for (const c of chosen) if (!(c in CONFIGS)) throw new Error(`BENCH_CONFIGS: unknown '${c}' (known: ${Object.keys(CONFIGS).join(', ')})`)

const body = JSON.stringify({ model: 'gpt-bench', messages: [{ role: 'user', content: 'Hello, how are you?' }], max_tokens: 64 })
const headers = { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` }

/** utime + stime in seconds of the process's main thread, and of all its other threads together. */
function threadCpu(pid) {
  let main = 0
  let other = 0
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let s
    try {
      s = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
    } catch {
      continue // a thread that ended between the listing and the read: its time is in the process's total
    }
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ')
    const sec = (Number(f[11]) + Number(f[12])) / CLK_TCK
    if (tid === String(pid)) main += sec
    else other += sec
  }
  return { main, other }
}

const procs = []
const dir = mkdtempSync(join(tmpdir(), 'rosetta-request-cpu-'))
try {
  const mock = startNode([join(HERE, 'mock-upstream.mjs')], { PORT: '0' }, { ready: portLine })
  procs.push(mock)
  const mockPort = await mock.started
  const floor = startNode([join(HERE, 'floor-proxy.mjs')], { PORT: '0', UPSTREAM: `http://127.0.0.1:${mockPort}`, UPSTREAM_KEY }, { ready: portLine })
  procs.push(floor)
  const path = '/v1/chat/completions'
  const legs = [{ name: 'floor', pid: floor.pid, t: { origin: `http://127.0.0.1:${await floor.started}`, path, method: 'POST', headers, body } }]
  writeFileSync(
    join(dir, 'rosetta.yaml'),
    `providers:\n  - id: mock\n    type: openai\n    base_url: http://127.0.0.1:${mockPort}/v1\n    keys: [${UPSTREAM_KEY}]\nroutes:\n  - { name: bench, match: { prefix: "gpt-" }, provider: mock, priority: 10 }\ndefault_provider: mock\nclient_keys:\n  - { name: bench, key: ${CLIENT_KEY} }\n`,
  )
  for (const [i, name] of chosen.entries()) {
    const port = 43000 + Math.floor(Math.random() * 2000)
    const data = join(dir, `r${i}`)
    mkdirSync(data)
    const settings = { PORT: String(port), HOST: '127.0.0.1', NUXT_DB_PATH: join(data, 'rosetta.duckdb'), NUXT_ADMIN_KEY: 'rsk-bench-admin-0123456789abcdefghij', NUXT_CONFIG_FILE: join(dir, 'rosetta.yaml'), ...CONFIGS[name] }
    const r = startNode([ENTRY], settings, { cwd: data, ready: (l) => (l.includes('Rosetta is ready') ? true : undefined), timeoutMs: 60_000 })
    procs.push(r)
    await r.started
    legs.push({ name: `rosetta, ${name}`, pid: r.pid, t: { origin: `http://127.0.0.1:${port}`, path, method: 'POST', headers, body } })
  }
  // This process (the load generator) is part of the bench, not noise.
  const noise = noiseMeter([process.pid, ...procs.map((p) => p.pid)])
  for (const l of legs) await throughputLeg(l.t, CONN, 2, { keepLatencies: false }) // warm-up
  const out = Object.fromEntries(legs.map((l) => [l.name, { main: [], other: [], total: [], rps: [] }]))
  for (let rep = 0; rep < REPS; rep++) {
    // Interleaved, rotated: a slow moment of the machine does not land on one leg every time.
    const order = legs.map((_, i) => legs[(i + rep) % legs.length])
    for (const l of order) {
      const a = threadCpu(l.pid)
      const r = await throughputLeg(l.t, CONN, SECS, { keepLatencies: false })
      const b = threadCpu(l.pid)
      if (r.errors) console.error(`${l.name}: ${r.errors} errors`)
      const per = (s) => (s / r.requests) * 1e6
      const o = out[l.name]
      o.main.push(per(b.main - a.main))
      o.other.push(per(b.other - a.other))
      o.total.push(per(b.main - a.main + b.other - a.other))
      o.rps.push(r.rps)
    }
  }
  const n = noise()
  // Ratios per repetition, then the median: the floor and Rosetta share each repetition's machine.
  const ratio = (name) => summary(out[name].total.map((x, i) => x / out.floor.total[i]))
  let md = `# CPU per request by thread — ${new Date().toISOString()}\n\nSame-dialect chat, not streamed, ${CONN} connections, ${SECS} s × ${REPS} interleaved repetitions. µs of CPU per 2xx answer, median (min–max). "Event loop" is the main thread; "other threads" are the log encoder thread, DuckDB's, V8's GC and compiler helpers and libuv's pool together (Linux names them all \`node\`). Machine noise: ${n.foreignCores.toFixed(2)} cores outside the bench.\n\n| leg | all threads | ÷ floor | event loop | other threads | requests/s |\n|---|---:|---:|---:|---:|---:|\n`
  for (const l of legs) {
    const o = out[l.name]
    md += `| ${l.name} | ${fmt(summary(o.total), 0)} | ${l.name === 'floor' ? '1' : fmt(ratio(l.name), 2)} | ${fmt(summary(o.main), 0)} | ${fmt(summary(o.other), 0)} | ${fmt(summary(o.rps), 0)} |\n`
  }
  md += `\nSettings: ${chosen.map((c) => `${c} = ${JSON.stringify(CONFIGS[c])}`).join('; ')}\n`
  console.log(md)
  mkdirSync(join(HERE, 'results'), { recursive: true })
  writeFileSync(join(HERE, 'results', 'request-cpu-latest.md'), md)
} finally {
  for (const p of procs.reverse()) await p.stop()
  rmSync(dir, { recursive: true, force: true })
}
