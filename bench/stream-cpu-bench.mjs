#!/usr/bin/env node
// CPU per streamed answer (issue 22 item 3): how much the gateway spends relaying one stream of many
// frames, same dialect (OpenAI client → OpenAI upstream, piped) and translated (Anthropic client →
// OpenAI upstream), against the floor proxy. Bodies are logged (the default). Interleaved repetitions;
// CPU is the server process's (all its threads, /proc ticks) over the leg, divided by the streams done,
// and its main thread's alone (the event loop: what a request waits behind).
//
//   npm run bench:stream-cpu
//   BENCH_ENTRIES=/path/a/.output/server/index.mjs,/path/b/.output/server/index.mjs  compares builds
//   BENCH_FRAMES (100), BENCH_GAP_MS (1), BENCH_CONNECTIONS (50), BENCH_SECONDS (5), BENCH_REPS (3)
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startNode, portLine, cpuSeconds, mainThreadCpuSeconds, noiseMeter } from './lib/proc.mjs'
import { throughputLeg } from './lib/clients.mjs'
import { summary, fmt } from './lib/stats.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const env = (k, d) => Number(process.env[k] ?? d)
const FRAMES = env('BENCH_FRAMES', 100)
const GAP = env('BENCH_GAP_MS', 1)
const CONN = env('BENCH_CONNECTIONS', 50)
const SECS = env('BENCH_SECONDS', 5)
const REPS = env('BENCH_REPS', 3)
const ENTRIES = (process.env.BENCH_ENTRIES || join(HERE, '../.output/server/index.mjs')).split(',')
const CLIENT_KEY = 'rk-bench-client-0123456789abcdefghij'
const UPSTREAM_KEY = 'sk-bench-upstream'
const model = `sse-${FRAMES}x${GAP}`
const oa = JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello, how are you?' }], max_tokens: 64, stream: true })
const an = JSON.stringify({ model, max_tokens: 64, messages: [{ role: 'user', content: 'Hello, how are you?' }], stream: true })
const oaH = { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` }
const anH = { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY, 'anthropic-version': '2023-06-01' }

const procs = []
const dir = mkdtempSync(join(tmpdir(), 'rosetta-stream-cpu-'))
try {
  const mock = startNode([join(HERE, 'mock-upstream.mjs')], { PORT: '0' }, { ready: portLine })
  procs.push(mock)
  const mockPort = await mock.started
  const floor = startNode([join(HERE, 'floor-proxy.mjs')], { PORT: '0', UPSTREAM: `http://127.0.0.1:${mockPort}`, UPSTREAM_KEY }, { ready: portLine })
  procs.push(floor)
  const legs = [{ name: 'floor', pid: floor.pid, t: { origin: `http://127.0.0.1:${await floor.started}`, path: '/v1/chat/completions', method: 'POST', headers: oaH, body: oa } }]
  writeFileSync(
    join(dir, 'rosetta.yaml'),
    `providers:\n  - id: mock\n    type: openai\n    base_url: http://127.0.0.1:${mockPort}/v1\n    keys: [${UPSTREAM_KEY}]\nroutes:\n  - { name: bench, match: { prefix: "sse-" }, provider: mock, priority: 10 }\ndefault_provider: mock\nclient_keys:\n  - { name: bench, key: ${CLIENT_KEY} }\n`,
  )
  for (const [i, entry] of ENTRIES.entries()) {
    const port = 41000 + Math.floor(Math.random() * 2000)
    const data = join(dir, `r${i}`)
    mkdirSync(data)
    const r = startNode([entry], { PORT: String(port), HOST: '127.0.0.1', NUXT_DB_PATH: join(data, 'rosetta.duckdb'), NUXT_ADMIN_KEY: 'rsk-bench-admin-0123456789abcdefghij', NUXT_CONFIG_FILE: join(dir, 'rosetta.yaml') }, { cwd: data, ready: (l) => (l.includes('Rosetta is ready') ? true : undefined), timeoutMs: 60_000 })
    procs.push(r)
    await r.started
    const tag = ENTRIES.length > 1 ? `#${i + 1} ` : ''
    const origin = `http://127.0.0.1:${port}`
    legs.push({ name: `${tag}same dialect`, pid: r.pid, t: { origin, path: '/v1/chat/completions', method: 'POST', headers: oaH, body: oa } })
    legs.push({ name: `${tag}translated`, pid: r.pid, t: { origin, path: '/v1/messages', method: 'POST', headers: anH, body: an } })
  }
  const noise = noiseMeter(procs.map((p) => p.pid))
  for (const l of legs) await throughputLeg(l.t, CONN, 2, { keepLatencies: false }) // warm-up
  const out = Object.fromEntries(legs.map((l) => [l.name, { cpu: [], loop: [], rps: [] }]))
  for (let rep = 0; rep < REPS; rep++) {
    // Interleaved, rotated: a slow moment of the machine does not land on one leg every time.
    const order = legs.map((_, i) => legs[(i + rep) % legs.length])
    for (const l of order) {
      const c0 = cpuSeconds(l.pid)
      const m0 = mainThreadCpuSeconds(l.pid)
      const r = await throughputLeg(l.t, CONN, SECS, { keepLatencies: false })
      const cpu = cpuSeconds(l.pid) - c0
      out[l.name].loop.push(((mainThreadCpuSeconds(l.pid) - m0) / r.requests) * 1e6)
      if (r.errors) console.error(`${l.name}: ${r.errors} errors`)
      out[l.name].cpu.push((cpu / r.requests) * 1e6)
      out[l.name].rps.push(r.rps)
    }
  }
  const n = noise()
  const floorCpu = summary(out.floor.cpu).med
  let md = `# CPU per streamed answer — ${new Date().toISOString()}\n\n${FRAMES} frames ${GAP} ms apart per stream, ${CONN} connections, ${SECS} s × ${REPS} interleaved repetitions; bodies logged. Median (min–max). Machine noise: ${n.foreignCores.toFixed(2)} cores outside the bench.\n\n| leg | µs CPU per stream (all threads) | ÷ floor | µs on the event loop | streams/s |\n|---|---:|---:|---:|---:|\n`
  for (const l of legs) md += `| ${l.name} | ${fmt(summary(out[l.name].cpu), 0)} | ${(summary(out[l.name].cpu).med / floorCpu).toFixed(2)} | ${fmt(summary(out[l.name].loop), 0)} | ${fmt(summary(out[l.name].rps), 0)} |\n`
  if (ENTRIES.length > 1) md += `\nBuilds: ${ENTRIES.map((e, i) => `#${i + 1} ${e}`).join(', ')}\n`
  console.log(md)
  mkdirSync(join(HERE, 'results'), { recursive: true })
  writeFileSync(join(HERE, 'results', 'stream-cpu-latest.md'), md)
} finally {
  for (const p of procs.reverse()) await p.stop()
  rmSync(dir, { recursive: true, force: true })
}
