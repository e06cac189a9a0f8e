#!/usr/bin/env node
// Rosetta benchmark: `npm run bench`. See bench/README.md for what each leg measures.
// Spawns four node processes — zero-latency mock upstream, raw node:http + undici floor proxy,
// Rosetta's built server (.output, request logging on), and the same build with its request log
// dropping nearly every row (a reference) — and drives them from this process.
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, existsSync, readFileSync } from 'node:fs'
import { tmpdir, cpus } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execSync } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { startNode, portLine, cpuSeconds, memMB, mappedFileMB, rssSampler, noiseMeter } from './lib/proc.mjs'
import { latencyLeg, throughputLeg, sseLeg, concurrentStreams, logCounts } from './lib/clients.mjs'
import { analyse, markdown } from './lib/report.mjs'
import { ELD_ARGS, ELD_ENV, eventLoopDelay } from './lib/eld.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..')
const env = (k, d) => (process.env[k] !== undefined && process.env[k] !== '' ? Number(process.env[k]) : d)
const CFG = {
  reps: env('BENCH_REPS', 3),
  warmupS: env('BENCH_WARMUP_S', 2),
  latS: env('BENCH_LAT_S', 2),
  rpsS: env('BENCH_RPS_S', 4),
  connections: env('BENCH_CONNECTIONS', 50),
  sseN: env('BENCH_SSE_N', 100),
  sseFrames: env('BENCH_SSE_FRAMES', 10),
  sseGapMs: env('BENCH_SSE_GAP_MS', 2),
  streams: env('BENCH_STREAMS', 1000),
  streamsFrames: env('BENCH_STREAMS_FRAMES', 20),
  streamsGapMs: env('BENCH_STREAMS_GAP_MS', 50),
  quietWaitS: env('BENCH_QUIET_WAIT_S', 120),
  soak: process.env.BENCH_SOAK === '1',
  soakS: env('BENCH_SOAK_S', 600),
  out: process.env.BENCH_OUT || join(HERE, 'results'),
}
const CLIENT_KEY = 'rk-bench-client-0123456789abcdefghij'
const ADMIN_KEY = 'rsk-bench-admin-0123456789abcdefghij'
const UPSTREAM_KEY = 'sk-bench-upstream'
const log = (...a) => console.error(`[${((performance.now() - T0) / 1000).toFixed(1).padStart(6)}s]`, ...a)
const T0 = performance.now()

const entry = join(ROOT, '.output/server/index.mjs')
if (!existsSync(entry)) {
  console.error('.output is missing: run `npx nuxt build` (or `npm run build`) first')
  process.exit(1)
}

// ---------------------------------------------------------------- processes
const procs = []
let tmpDir
// Never leave a child (or the temp database) behind, whatever happens to this process.
process.on('exit', () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL')
  if (tmpDir) rmSync(tmpDir, { recursive: true, force: true })
})
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130))
async function main() {
  {
    const stop = noiseMeter([process.pid])
    await sleep(2000)
    const n = stop()
    if (n.foreignCores > 0.25) log(`WARNING: the machine is busy (${n.foreignCores.toFixed(2)} cores used by other processes); results will be noisy`)
  }
  const mock = startNode([...ELD_ARGS, join(HERE, 'mock-upstream.mjs')], { PORT: '0', ...ELD_ENV }, { ready: portLine })
  procs.push(mock)
  const mockPort = await mock.started
  const floor = startNode([...ELD_ARGS, join(HERE, 'floor-proxy.mjs')], { PORT: '0', UPSTREAM: `http://127.0.0.1:${mockPort}`, UPSTREAM_KEY, ...ELD_ENV }, { ready: portLine })
  procs.push(floor)
  const floorPort = await floor.started

  const dir = (tmpDir = mkdtempSync(join(tmpdir(), 'rosetta-bench-')))
  writeFileSync(
    join(dir, 'rosetta.yaml'),
    `providers:
  - id: mock
    type: openai
    base_url: http://127.0.0.1:${mockPort}/v1
    keys: [${UPSTREAM_KEY}]
routes:
  - { name: bench, match: { prefix: "gpt-" }, provider: mock, priority: 10 }
default_provider: mock
client_keys:
  - { name: bench, key: ${CLIENT_KEY} }
`,
  )
  const rosettaPort = await freePort()
  const rosetta = startNode(
    [...ELD_ARGS, entry],
    { ...ELD_ENV, PORT: String(rosettaPort), HOST: '127.0.0.1', NUXT_DB_PATH: join(dir, 'rosetta.duckdb'), NUXT_ADMIN_KEY: ADMIN_KEY, NUXT_CONFIG_FILE: join(dir, 'rosetta.yaml') },
    { cwd: dir, ready: (l) => (l.includes('Rosetta is ready') ? true : undefined), timeoutMs: 60_000 },
  )
  procs.push(rosetta)
  // A reference, not a goal: the same build with a request-log queue of one entry, so nearly every row
  // is dropped. The gap between it and rosetta-same is what the request log costs.
  const nologPort = await freePort()
  const nolog = startNode(
    [...ELD_ARGS, entry],
    { ...ELD_ENV, PORT: String(nologPort), HOST: '127.0.0.1', NUXT_DB_PATH: join(dir, 'nolog.duckdb'), NUXT_ADMIN_KEY: ADMIN_KEY, NUXT_CONFIG_FILE: join(dir, 'rosetta.yaml'), NUXT_LOG_QUEUE_MAX: '1', NUXT_LOG_BODIES: 'false' },
    { cwd: dir, ready: (l) => (l.includes('Rosetta is ready') ? true : undefined), timeoutMs: 60_000 },
  )
  procs.push(nolog)
  await rosetta.started
  await nolog.started
  await waitHealthy(`http://127.0.0.1:${rosettaPort}/health`)
  await waitHealthy(`http://127.0.0.1:${nologPort}/health`)
  log(`mock :${mockPort} (pid ${mock.pid}), floor :${floorPort} (pid ${floor.pid}), rosetta :${rosettaPort} (pid ${rosetta.pid}), rosetta without its log :${nologPort} (pid ${nolog.pid})`)

  // ---------------------------------------------------------------- targets
  const H = { 'content-type': 'application/json' }
  const oa = (model, stream) => JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello, how are you?' }], max_tokens: 64, ...(stream ? { stream: true } : {}) })
  const an = (model, stream) => JSON.stringify({ model, max_tokens: 64, messages: [{ role: 'user', content: 'Hello, how are you?' }], ...(stream ? { stream: true } : {}) })
  const oaH = { ...H, authorization: `Bearer ${CLIENT_KEY}` }
  const anH = { ...H, 'x-api-key': CLIENT_KEY, 'anthropic-version': '2023-06-01' }
  const o = (p) => `http://127.0.0.1:${p}`
  const sseModel = `sse-${CFG.sseFrames}x${CFG.sseGapMs}`
  const manyModel = `sse-${CFG.streamsFrames}x${CFG.streamsGapMs}`
  const T = {
    'mock-openai': { origin: o(mockPort), path: '/v1/chat/completions', method: 'POST', headers: oaH, dialect: 'openai', pid: mock.pid, body: oa('gpt-bench') },
    'mock-anthropic': { origin: o(mockPort), path: '/v1/messages', method: 'POST', headers: anH, dialect: 'anthropic', pid: mock.pid, body: an('gpt-bench') },
    floor: { origin: o(floorPort), path: '/v1/chat/completions', method: 'POST', headers: oaH, dialect: 'openai', pid: floor.pid, body: oa('gpt-bench'), base: 'mock-openai' },
    'rosetta-same': { origin: o(rosettaPort), path: '/v1/chat/completions', method: 'POST', headers: oaH, dialect: 'openai', pid: rosetta.pid, body: oa('gpt-bench'), base: 'mock-openai' },
    'rosetta-nolog': { origin: o(nologPort), path: '/v1/chat/completions', method: 'POST', headers: oaH, dialect: 'openai', pid: nolog.pid, body: oa('gpt-bench'), base: 'mock-openai' },
    'rosetta-converted': { origin: o(rosettaPort), path: '/v1/messages', method: 'POST', headers: anH, dialect: 'anthropic', pid: rosetta.pid, body: an('gpt-bench'), base: 'mock-anthropic' },
    'mock-health': { origin: o(mockPort), path: '/health', method: 'GET', headers: {}, pid: mock.pid },
    'nitro-health': { origin: o(rosettaPort), path: '/health', method: 'GET', headers: {}, pid: rosetta.pid, base: 'mock-health' },
  }
  const sse = (name, model) => ({ ...T[name], body: T[name].dialect === 'anthropic' ? an(model, true) : oa(model, true) })
  const LAT = Object.keys(T)
  const RPS = ['mock-openai', 'floor', 'rosetta-same', 'rosetta-nolog', 'rosetta-converted', 'mock-health', 'nitro-health']
  const SSE = ['mock-openai', 'mock-anthropic', 'floor', 'rosetta-same', 'rosetta-nolog', 'rosetta-converted']

  // Sanity: every leg answers 200 before anything is timed.
  for (const name of LAT) {
    const r = await fetch(T[name].origin + T[name].path, { method: T[name].method, headers: T[name].headers, body: T[name].body })
    const text = await r.text()
    if (r.status !== 200) throw new Error(`${name}: ${r.status} ${text}`)
  }

  const mem = { rosetta: {}, floor: {} }
  await sleep(1000)
  const idle = { rosetta: memMB(rosetta.pid), floor: memMB(floor.pid) }
  mem.rosetta.idleBoot = idle.rosetta.rss
  mem.rosetta.idleBootAnon = idle.rosetta.anon
  mem.rosetta.idleBootDuckLib = mappedFileMB(rosetta.pid, /libduckdb/)
  mem.floor.idleBoot = idle.floor.rss
  mem.floor.idleBootAnon = idle.floor.anon
  const peakRosetta = rssSampler(rosetta.pid, 250)
  const peakFloor = rssSampler(floor.pid, 250)

  // ---------------------------------------------------------------- warm-up (JIT, pools)
  log(`warm-up ${CFG.warmupS}s per target`)
  for (const name of RPS) await throughputLeg(T[name], CFG.connections, CFG.warmupS, { keepLatencies: false })
  for (const name of LAT) await latencyLeg(T[name], 300)
  for (const name of SSE) await sseLeg(sse(name, sseModel), 20, CFG.sseFrames)
  await sleep(1500)
  mem.rosetta.idleWarm = memMB(rosetta.pid).rss

  // ---------------------------------------------------------------- repetitions, legs interleaved
  const reps = []
  const PIDS = [process.pid, mock.pid, floor.pid, rosetta.pid, nolog.pid]
  // Each leg also reads the event-loop delay of the process under test while it ran.
  const noisy = async (fn, pid) => {
    if (pid) await eventLoopDelay(pid)
    const stop = noiseMeter(PIDS)
    const res = await fn()
    const noise = stop()
    return { ...res, noise, ...(pid && { eld: await eventLoopDelay(pid) }) }
  }
  // Another job on the box (a build, a test run) ruins a leg: wait, within a budget, for it to pass.
  let quietBudget = CFG.quietWaitS * 1000
  const waitQuiet = async () => {
    for (;;) {
      const stop = noiseMeter(PIDS)
      await sleep(500)
      const n = stop()
      if (n.foreignCores < 0.25 || quietBudget <= 0) return
      log(`machine busy (${n.foreignCores.toFixed(2)} foreign cores), waiting…`)
      await sleep(2000)
      quietBudget -= 2500
    }
  }
  for (let r = 0; r < CFG.reps; r++) {
    const rot = (a) => a.map((_, i) => a[(i + r) % a.length])
    const rep = { lat: {}, rps: {}, sse: {} }
    await waitQuiet()
    log(`rep ${r + 1}/${CFG.reps}: 1-connection latency`)
    for (const name of rot(LAT)) rep.lat[name] = await noisy(() => latencyLeg(T[name], CFG.latS * 1000), T[name].pid)
    await waitQuiet()
    log(`rep ${r + 1}/${CFG.reps}: ${CFG.connections}-connection throughput`)
    for (const name of rot(RPS)) {
      const t = T[name]
      const c0 = cpuSeconds(t.pid)
      const m0 = cpuSeconds(mock.pid)
      const res = await noisy(() => throughputLeg(t, CFG.connections, CFG.rpsS), t.pid)
      const cpu = cpuSeconds(t.pid) - c0
      const mcpu = cpuSeconds(mock.pid) - m0
      rep.rps[name] = { ...res, cpuUsPerReq: (cpu / res.requests) * 1e6, cpuCores: cpu / CFG.rpsS, mockCpuUsPerReq: (mcpu / res.requests) * 1e6 }
      await sleep(700) // let the request-log flush (500 ms interval) land between legs
    }
    await waitQuiet()
    log(`rep ${r + 1}/${CFG.reps}: SSE time to first chunk / per-chunk (${CFG.sseN} streams × ${CFG.sseFrames} frames, ${CFG.sseGapMs} ms apart)`)
    for (const name of rot(SSE)) rep.sse[name] = await noisy(() => sseLeg(sse(name, sseModel), CFG.sseN, CFG.sseFrames), T[name].pid)
    reps.push(rep)
  }

  // ---------------------------------------------------------------- many concurrent streams
  const many = {}
  if (CFG.streams > 0) {
    for (const name of ['mock-openai', 'floor', 'rosetta-same', 'rosetta-converted']) {
      log(`${CFG.streams} concurrent streams → ${name}`)
      await fetch(`${o(mockPort)}/stats/reset`)
      const s = rssSampler(T[name].pid, 100)
      const res = await concurrentStreams(sse(name, manyModel), CFG.streams, CFG.streamsFrames)
      const stats = await (await fetch(`${o(mockPort)}/stats`)).json()
      many[name] = { ...res, maxUpstreamOpen: stats.maxOpen, peakRssMB: s.stop() }
      await sleep(1000)
    }
  }
  mem.rosetta.peakLoad = peakRosetta.stop()
  mem.floor.peakLoad = peakFloor.stop()

  // ---------------------------------------------------------------- optional soak
  let soak
  if (CFG.soak) {
    log(`soak: ${CFG.soakS}s at ${CFG.connections} connections → rosetta-same`)
    const samples = []
    const t = setInterval(() => samples.push(Math.round(memMB(rosetta.pid).rss)), 10_000)
    const res = await throughputLeg(T['rosetta-same'], CFG.connections, CFG.soakS, { keepLatencies: false })
    clearInterval(t)
    soak = { ...res, rssSamplesMB: samples }
  }

  await sleep(3000)
  const after = memMB(rosetta.pid)
  mem.rosetta.after = after.rss
  mem.rosetta.hwm = after.hwm
  mem.floor.after = memMB(floor.pid).rss
  mem.floor.hwm = memMB(floor.pid).hwm

  const logs = { 'rosetta-same': await logCounts(o(rosettaPort), ADMIN_KEY), 'rosetta-nolog': await logCounts(o(nologPort), ADMIN_KEY) }
  return { reps, many, mem, soak, logs, ports: { mockPort, floorPort, rosettaPort }, dir }
}

async function freePort() {
  const { createServer } = await import('node:net')
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port
      s.close(() => resolve(p))
    })
  })
}

async function waitHealthy(url) {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url)
      if (r.ok && (await r.json()).status === 'ok') return
    } catch {
      /* not listening yet */
    }
    await sleep(100)
  }
  throw new Error(`${url} never became healthy`)
}

let dir
try {
  const raw = await main()
  dir = raw.dir
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model?.trim(),
    commit: (() => {
      try {
        return execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim()
      } catch {
        return 'unknown'
      }
    })(),
    build: (() => {
      try {
        return JSON.parse(readFileSync(join(ROOT, '.output/nitro.json'), 'utf8')).date
      } catch {
        return 'unknown'
      }
    })(),
    config: CFG,
    durationS: (performance.now() - T0) / 1000,
  }
  const a = analyse(raw, CFG)
  mkdirSync(CFG.out, { recursive: true })
  writeFileSync(join(CFG.out, 'latest.json'), JSON.stringify({ meta, ...a, reps: raw.reps }, null, 2))
  const md = markdown(a, meta)
  writeFileSync(join(CFG.out, 'latest.md'), md)
  console.log(md)
  for (const g of a.goals) console.log(`${g.pass ? 'PASS' : 'FAIL'}  ${g.goal}`)
  log(`done in ${meta.durationS.toFixed(0)} s → ${join(CFG.out, 'latest.{json,md}')}`)
} catch (e) {
  console.error(e)
  for (const p of procs) console.error(`--- ${p.pid} output tail ---\n${p.output().slice(-3000)}`)
  process.exitCode = 1
} finally {
  for (const p of procs.reverse()) await p.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
}
