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
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cpuSeconds, mainThreadCpuSeconds, noiseMeter } from './lib/proc.mjs'
import { summary, fmt } from './lib/stats.mjs'
import { CLIENT_KEY, benchEntries, envNumber, interleaved, startMockAndFloor, startRosetta, writeBenchConfig } from './lib/cpu-legs.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const FRAMES = envNumber('BENCH_FRAMES', 100)
const GAP = envNumber('BENCH_GAP_MS', 1)
const CONN = envNumber('BENCH_CONNECTIONS', 50)
const SECS = envNumber('BENCH_SECONDS', 5)
const REPS = envNumber('BENCH_REPS', 3)
const ENTRIES = benchEntries()
const model = `sse-${FRAMES}x${GAP}`
const oa = JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello, how are you?' }], max_tokens: 64, stream: true })
const an = JSON.stringify({ model, max_tokens: 64, messages: [{ role: 'user', content: 'Hello, how are you?' }], stream: true })
const oaH = { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` }
const anH = { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY, 'anthropic-version': '2023-06-01' }

const procs = []
const dir = mkdtempSync(join(tmpdir(), 'rosetta-stream-cpu-'))
try {
  const { mockPort, floor, floorOrigin } = await startMockAndFloor(procs)
  const legs = [{ name: 'floor', pid: floor.pid, t: { origin: floorOrigin, path: '/v1/chat/completions', method: 'POST', headers: oaH, body: oa } }]
  const config = join(dir, 'rosetta.yaml')
  writeBenchConfig(config, mockPort, 'sse-')
  for (const [i, entry] of ENTRIES.entries()) {
    const { proc, origin } = await startRosetta(procs, { entry, dir, name: `r${i}`, config })
    const tag = ENTRIES.length > 1 ? `#${i + 1} ` : ''
    legs.push({ name: `${tag}same dialect`, pid: proc.pid, t: { origin, path: '/v1/chat/completions', method: 'POST', headers: oaH, body: oa } })
    legs.push({ name: `${tag}translated`, pid: proc.pid, t: { origin, path: '/v1/messages', method: 'POST', headers: anH, body: an } })
  }
  // This process (the load generator) is part of the bench, not noise.
  const noise = noiseMeter([process.pid, ...procs.map((p) => p.pid)])
  const out = Object.fromEntries(legs.map((l) => [l.name, { cpu: [], loop: [], rps: [] }]))
  await interleaved(legs, { reps: REPS, seconds: SECS, connections: CONN }, async (l, run) => {
    const c0 = cpuSeconds(l.pid)
    const m0 = mainThreadCpuSeconds(l.pid)
    const r = await run()
    const cpu = cpuSeconds(l.pid) - c0
    out[l.name].loop.push(((mainThreadCpuSeconds(l.pid) - m0) / r.requests) * 1e6)
    out[l.name].cpu.push((cpu / r.requests) * 1e6)
    out[l.name].rps.push(r.rps)
  })
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
