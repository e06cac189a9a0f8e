#!/usr/bin/env node
// Plugins benchmark (issue 19): `npm run bench:plugins` (needs a build; ~1.5 min on 2 cores).
// One mock upstream and the built server; the same OpenAI Chat request with no plugins (the plain
// path: bytes passed through) and with one `redact` plugin (decoded, hooked, re-encoded), interleaved
// in each repetition: 1-connection latency, 50-connection throughput, and streamed answers (time to
// first chunk, per-chunk delivery). Writes bench/results/plugins-latest.{json,md}.
// BENCH_BASELINE=<another build's .output/server/index.mjs> (e.g. main before this change) adds its
// plain path as a leg, run against the same mock in the same repetitions: "no plugins" vs before.
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { startNode, portLine, cpuSeconds, noiseMeter } from './lib/proc.mjs'
import { latencyLeg, throughputLeg, sseLeg } from './lib/clients.mjs'
import { summary, fmt } from './lib/stats.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..')
const env = (k, d) => (process.env[k] ? Number(process.env[k]) : d)
const CFG = { reps: env('BENCH_REPS', 3), latS: env('BENCH_LAT_S', 2), rpsS: env('BENCH_RPS_S', 4), connections: env('BENCH_CONNECTIONS', 50), sseN: env('BENCH_SSE_N', 100), sseFrames: 10, sseGapMs: 2, out: process.env.BENCH_OUT || join(HERE, 'results') }
const CLIENT_KEY = 'rk-bench-client-0123456789abcdefghij'
const entry = join(ROOT, '.output/server/index.mjs')
if (!existsSync(entry)) {
  console.error('.output is missing: run `npx nuxt build` first')
  process.exit(1)
}

const procs = []
let dir
process.on('exit', () => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL')
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function freePort() {
  const { createServer } = await import('node:net')
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port
      s.close(() => resolve(p))
    })
  })
}

async function main() {
  const mock = startNode([join(HERE, 'mock-upstream.mjs')], { PORT: '0' }, { ready: portLine })
  procs.push(mock)
  const mockPort = await mock.started
  dir = mkdtempSync(join(tmpdir(), 'rosetta-plugins-bench-'))
  // Card numbers are left out of the redaction here only because the bench's frame stamps are long digit runs.
  writeFileSync(
    join(dir, 'baseline.yaml'),
    `providers:
  - { id: mock, type: openai, base_url: "http://127.0.0.1:${mockPort}/v1", keys: [sk-bench-upstream] }
default_provider: mock
client_keys:
  - { name: bench, key: ${CLIENT_KEY} }
`,
  )
  writeFileSync(
    join(dir, 'rosetta.yaml'),
    `providers:
  - { id: mock, type: openai, base_url: "http://127.0.0.1:${mockPort}/v1", keys: [sk-bench-upstream] }
routes:
  - { name: redact, match: { regex: "-redact$" }, provider: mock, priority: 20, plugins: [ { use: redact, with: { types: [email, phone, cn_id] } } ] }
default_provider: mock
client_keys:
  - { name: bench, key: ${CLIENT_KEY} }
`,
  )
  const port = await freePort()
  const rosetta = startNode(
    [entry],
    { PORT: String(port), HOST: '127.0.0.1', NUXT_DB_PATH: join(dir, 'rosetta.duckdb'), NUXT_ADMIN_KEY: 'rsk-bench-admin-0123456789abcdefghij', NUXT_CONFIG_FILE: join(dir, 'rosetta.yaml'), NUXT_PROBE_INTERVAL_S: '0' },
    { cwd: dir, ready: (l) => (l.includes('Rosetta is ready') ? true : undefined), timeoutMs: 60_000 },
  )
  procs.push(rosetta)
  await rosetta.started
  let baseline
  if (process.env.BENCH_BASELINE) {
    const bport = await freePort()
    const bdir = join(dir, 'baseline')
    mkdirSync(bdir)
    baseline = startNode(
      [process.env.BENCH_BASELINE],
      { PORT: String(bport), HOST: '127.0.0.1', NUXT_DB_PATH: join(bdir, 'rosetta.duckdb'), NUXT_ADMIN_KEY: 'rsk-bench-admin-0123456789abcdefghij', NUXT_CONFIG_FILE: join(dir, 'baseline.yaml'), NUXT_PROBE_INTERVAL_S: '0' },
      { cwd: bdir, ready: (l) => (l.includes('Rosetta is ready') ? true : undefined), timeoutMs: 60_000 },
    )
    procs.push(baseline)
    await baseline.started
    baseline.port = bport
  }
  const H = { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` }
  const body = (model, stream) => JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello, my mail is jane@example.com, how are you?' }], max_tokens: 64, ...(stream ? { stream: true } : {}) })
  const t = (model, stream, origin = `http://127.0.0.1:${port}`, pid = rosetta.pid) => ({ origin, path: '/v1/chat/completions', method: 'POST', headers: H, body: body(model, stream), pid })
  const sseModel = `sse-${CFG.sseFrames}x${CFG.sseGapMs}-prose`
  const T = {
    mock: { plain: t('gpt-bench', false, `http://127.0.0.1:${mockPort}`), stream: t(sseModel, true, `http://127.0.0.1:${mockPort}`) },
    ...(baseline && { 'before (baseline build)': { plain: t('gpt-bench', false, `http://127.0.0.1:${baseline.port}`, baseline.pid), stream: t(sseModel, true, `http://127.0.0.1:${baseline.port}`, baseline.pid) } }),
    'no plugins': { plain: t('gpt-bench', false), stream: t(sseModel, true) },
    'one redact plugin': { plain: t('gpt-bench-redact', false), stream: t(`${sseModel}-redact`, true) },
  }
  for (const [name, x] of Object.entries(T)) for (const leg of [x.plain, x.stream]) {
    const r = await fetch(leg.origin + leg.path, { method: 'POST', headers: H, body: leg.body })
    const text = await r.text()
    if (r.status !== 200) throw new Error(`${name}: ${r.status} ${text}`)
  }
  // Warm-up (JIT).
  for (const x of Object.values(T)) {
    await throughputLeg(x.plain, CFG.connections, 2, { keepLatencies: false })
    await sseLeg(x.stream, 20, CFG.sseFrames)
  }
  const names = Object.keys(T)
  const reps = []
  for (let r = 0; r < CFG.reps; r++) {
    const rot = names.map((_, i) => names[(i + r) % names.length])
    const rep = {}
    const stop = noiseMeter([process.pid, mock.pid, rosetta.pid, ...(baseline ? [baseline.pid] : [])])
    for (const n of rot) {
      const lat = await latencyLeg(T[n].plain, CFG.latS * 1000)
      const c0 = cpuSeconds(T[n].plain.pid)
      const rps = await throughputLeg(T[n].plain, CFG.connections, CFG.rpsS)
      const cpu = cpuSeconds(T[n].plain.pid) - c0
      const sse = await sseLeg(T[n].stream, CFG.sseN, CFG.sseFrames)
      rep[n] = { lat, rps, cpuUsPerReq: n === 'mock' ? null : (cpu / rps.requests) * 1e6, sse }
      await sleep(700)
    }
    rep.noise = stop()
    reps.push(rep)
    console.error(`rep ${r + 1}/${CFG.reps} done (foreign cores ${rep.noise.foreignCores.toFixed(2)})`)
  }
  return { reps, names }
}

try {
  const { reps, names } = await main()
  const S = (f) => summary(reps.map(f))
  const rows = [
    ['1-conn latency p50 (ms)', (n) => S((r) => r[n].lat.p50)],
    ['1-conn latency p99 (ms)', (n) => S((r) => r[n].lat.p99)],
    [`req/s at ${CFG.connections} connections`, (n) => S((r) => r[n].rps.rps)],
    ['server CPU µs/request', (n) => (n === 'mock' ? null : S((r) => r[n].cpuUsPerReq))],
    ['stream TTFC p50 (ms)', (n) => S((r) => r[n].sse.ttfcP50)],
    ['stream TTFC p99 (ms)', (n) => S((r) => r[n].sse.ttfcP99)],
    ['stream per-chunk delivery p50 (ms)', (n) => S((r) => r[n].sse.chunkP50)],
    ['stream per-chunk delivery p99 (ms)', (n) => S((r) => r[n].sse.chunkP99)],
    ['stream errors', (n) => ({ med: reps.reduce((a, r) => a + r[n].sse.errors, 0) })],
  ]
  const L = [`# Plugins benchmark (${new Date().toISOString()}, ${CFG.reps} repetitions, median (min–max))`, '', `| | ${names.join(' | ')} |`, `|---|${names.map(() => '---').join('|')}|`]
  for (const [label, f] of rows) L.push(`| ${label} | ${names.map((n) => { const v = f(n); return v ? (v.min !== undefined ? fmt(v) : String(v.med)) : '-' }).join(' | ')} |`)
  L.push('', `Foreign CPU (cores used by other processes) per repetition: ${reps.map((r) => r.noise.foreignCores.toFixed(2)).join(', ')}`)
  const md = L.join('\n')
  mkdirSync(CFG.out, { recursive: true })
  writeFileSync(join(CFG.out, 'plugins-latest.json'), JSON.stringify({ config: CFG, reps }, null, 2))
  writeFileSync(join(CFG.out, 'plugins-latest.md'), md + '\n')
  console.log(md)
} catch (e) {
  console.error(e)
  for (const p of procs) console.error(`--- ${p.pid} ---\n${p.output().slice(-2000)}`)
  process.exitCode = 1
} finally {
  for (const p of procs.reverse()) await p.stop()
}
