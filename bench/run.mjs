#!/usr/bin/env node
// Rosetta benchmark: `npm run bench`. See bench/README.md for what each leg measures.
// Spawns three node processes — zero-latency mock upstream, raw node:http + undici floor proxy,
// Rosetta's built server (.output, request logging on) — and drives them from this process.
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, existsSync, readFileSync } from 'node:fs'
import { tmpdir, cpus } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execSync } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { startNode, portLine, cpuSeconds, memMB, rssSampler, noiseMeter } from './lib/proc.mjs'
import { latencyLeg, throughputLeg, sseLeg, concurrentStreams } from './lib/clients.mjs'
import { summary, fmt } from './lib/stats.mjs'

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
  const mock = startNode([join(HERE, 'mock-upstream.mjs')], { PORT: '0' }, { ready: portLine })
  procs.push(mock)
  const mockPort = await mock.started
  const floor = startNode([join(HERE, 'floor-proxy.mjs')], { PORT: '0', UPSTREAM: `http://127.0.0.1:${mockPort}`, UPSTREAM_KEY }, { ready: portLine })
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
    [entry],
    { PORT: String(rosettaPort), HOST: '127.0.0.1', NUXT_DB_PATH: join(dir, 'rosetta.duckdb'), NUXT_ADMIN_KEY: ADMIN_KEY, NUXT_CONFIG_FILE: join(dir, 'rosetta.yaml') },
    { cwd: dir, ready: (l) => (l.includes('Rosetta is ready') ? true : undefined), timeoutMs: 60_000 },
  )
  procs.push(rosetta)
  await rosetta.started
  await waitHealthy(`http://127.0.0.1:${rosettaPort}/health`)
  log(`mock :${mockPort} (pid ${mock.pid}), floor :${floorPort} (pid ${floor.pid}), rosetta :${rosettaPort} (pid ${rosetta.pid})`)

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
    'rosetta-converted': { origin: o(rosettaPort), path: '/v1/messages', method: 'POST', headers: anH, dialect: 'anthropic', pid: rosetta.pid, body: an('gpt-bench'), base: 'mock-anthropic' },
    'mock-health': { origin: o(mockPort), path: '/health', method: 'GET', headers: {}, pid: mock.pid },
    'nitro-health': { origin: o(rosettaPort), path: '/health', method: 'GET', headers: {}, pid: rosetta.pid, base: 'mock-health' },
  }
  const sse = (name, model) => ({ ...T[name], body: T[name].dialect === 'anthropic' ? an(model, true) : oa(model, true) })
  const LAT = Object.keys(T)
  const RPS = ['mock-openai', 'floor', 'rosetta-same', 'rosetta-converted', 'mock-health', 'nitro-health']
  const SSE = ['mock-openai', 'mock-anthropic', 'floor', 'rosetta-same', 'rosetta-converted']

  // Sanity: every leg answers 200 before anything is timed.
  for (const name of LAT) {
    const r = await fetch(T[name].origin + T[name].path, { method: T[name].method, headers: T[name].headers, body: T[name].body })
    const text = await r.text()
    if (r.status !== 200) throw new Error(`${name}: ${r.status} ${text}`)
  }

  const mem = { rosetta: {}, floor: {} }
  await sleep(1000)
  mem.rosetta.idleBoot = memMB(rosetta.pid).rss
  mem.floor.idleBoot = memMB(floor.pid).rss
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
  const PIDS = [process.pid, mock.pid, floor.pid, rosetta.pid]
  const noisy = async (fn) => {
    const stop = noiseMeter(PIDS)
    const res = await fn()
    return { ...res, noise: stop() }
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
    for (const name of rot(LAT)) rep.lat[name] = await noisy(() => latencyLeg(T[name], CFG.latS * 1000))
    await waitQuiet()
    log(`rep ${r + 1}/${CFG.reps}: ${CFG.connections}-connection throughput`)
    for (const name of rot(RPS)) {
      const t = T[name]
      const c0 = cpuSeconds(t.pid)
      const m0 = cpuSeconds(mock.pid)
      const res = await noisy(() => throughputLeg(t, CFG.connections, CFG.rpsS))
      const cpu = cpuSeconds(t.pid) - c0
      const mcpu = cpuSeconds(mock.pid) - m0
      rep.rps[name] = { ...res, cpuUsPerReq: (cpu / res.requests) * 1e6, cpuCores: cpu / CFG.rpsS, mockCpuUsPerReq: (mcpu / res.requests) * 1e6 }
      await sleep(700) // let the request-log flush (500 ms interval) land between legs
    }
    await waitQuiet()
    log(`rep ${r + 1}/${CFG.reps}: SSE time to first chunk / per-chunk (${CFG.sseN} streams × ${CFG.sseFrames} frames, ${CFG.sseGapMs} ms apart)`)
    for (const name of rot(SSE)) rep.sse[name] = await noisy(() => sseLeg(sse(name, sseModel), CFG.sseN, CFG.sseFrames))
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

  return { reps, many, mem, soak, ports: { mockPort, floorPort, rosettaPort }, dir }
}

// ---------------------------------------------------------------- report
function analyse({ reps, many, mem, soak }) {
  const S = (f) => summary(reps.map(f))
  const TARGETS = ['mock-openai', 'mock-anthropic', 'floor', 'rosetta-same', 'rosetta-converted', 'mock-health', 'nitro-health']
  const BASE = { floor: 'mock-openai', 'rosetta-same': 'mock-openai', 'rosetta-converted': 'mock-anthropic', 'nitro-health': 'mock-health' }
  const s = { lat: {}, rps: {}, sse: {} }
  for (const n of TARGETS) {
    const b = BASE[n]
    s.lat[n] = {
      p50: S((r) => r.lat[n].p50),
      p99: S((r) => r.lat[n].p99),
      ...(b && { addedP50: S((r) => r.lat[n].p50 - r.lat[b].p50), addedP99: S((r) => r.lat[n].p99 - r.lat[b].p99) }),
      errors: reps.reduce((a, r) => a + r.lat[n].errors, 0),
    }
    if (reps[0].rps[n])
      s.rps[n] = {
        rps: S((r) => r.rps[n].rps),
        p50: S((r) => r.rps[n].p50),
        p99: S((r) => r.rps[n].p99),
        cpuUsPerReq: S((r) => r.rps[n].cpuUsPerReq),
        mockCpuUsPerReq: S((r) => r.rps[n].mockCpuUsPerReq),
        errors: reps.reduce((a, r) => a + r.rps[n].errors, 0),
      }
    if (reps[0].sse[n]) {
      const sb = n === 'floor' || n === 'rosetta-same' ? 'mock-openai' : n === 'rosetta-converted' ? 'mock-anthropic' : undefined
      s.sse[n] = {
        ttfcP50: S((r) => r.sse[n].ttfcP50),
        ttfcP99: S((r) => r.sse[n].ttfcP99),
        chunkP50: S((r) => r.sse[n].chunkP50),
        chunkP99: S((r) => r.sse[n].chunkP99),
        gapP99: S((r) => r.sse[n].gapP99),
        ...(sb && {
          addedTtfcP50: S((r) => r.sse[n].ttfcP50 - r.sse[sb].ttfcP50),
          addedTtfcP99: S((r) => r.sse[n].ttfcP99 - r.sse[sb].ttfcP99),
          addedChunkP50: S((r) => r.sse[n].chunkP50 - r.sse[sb].chunkP50),
          addedChunkP99: S((r) => r.sse[n].chunkP99 - r.sse[sb].chunkP99),
        }),
        errors: reps.reduce((a, r) => a + r.sse[n].errors, 0),
      }
    }
  }
  const ratio = {
    sameVsFloor: S((r) => r.rps['rosetta-same'].rps / r.rps.floor.rps),
    convertedVsSame: S((r) => r.rps['rosetta-converted'].rps / r.rps['rosetta-same'].rps),
    floorVsMock: S((r) => r.rps.floor.rps / r.rps['mock-openai'].rps),
    nitroHealthVsMockHealth: S((r) => r.rps['nitro-health'].rps / r.rps['mock-health'].rps),
    cpuSameVsFloor: S((r) => r.rps['rosetta-same'].cpuUsPerReq / r.rps.floor.cpuUsPerReq),
  }
  const L = s.lat
  const manyOk = (n) => many[n] && many[n].errors === 0 && many[n].frames === many[n].expectedFrames
  const goals = [
    { goal: `req/s @${CFG.connections} conns, same dialect ≥ 75% of floor`, value: ratio.sameVsFloor.med, pass: ratio.sameVsFloor.med >= 0.75 },
    { goal: 'req/s converted ≥ 85% of same dialect', value: ratio.convertedVsSame.med, pass: ratio.convertedVsSame.med >= 0.85 },
    {
      goal: 'added p50 @1 conn < 0.3 ms and ≤ 2× floor added p50',
      value: `${L['rosetta-same'].addedP50.med.toFixed(3)} ms vs floor ${L.floor.addedP50.med.toFixed(3)} ms`,
      pass: L['rosetta-same'].addedP50.med < 0.3 && L['rosetta-same'].addedP50.med <= 2 * L.floor.addedP50.med,
    },
    {
      goal: 'added p99 @1 conn ≤ 1.5× floor added p99',
      value: `${L['rosetta-same'].addedP99.med.toFixed(3)} ms vs floor ${L.floor.addedP99.med.toFixed(3)} ms`,
      pass: L['rosetta-same'].addedP99.med <= 1.5 * L.floor.addedP99.med,
    },
    { goal: 'streaming added TTFC p99 < 1 ms (same dialect)', value: s.sse['rosetta-same'].addedTtfcP99.med, pass: s.sse['rosetta-same'].addedTtfcP99.med < 1 },
    { goal: 'streaming added TTFC p99 < 1 ms (converted)', value: s.sse['rosetta-converted'].addedTtfcP99.med, pass: s.sse['rosetta-converted'].addedTtfcP99.med < 1 },
    ...(CFG.streams > 0
      ? [
          {
            goal: `${CFG.streams} concurrent streams, every frame delivered (same + converted)`,
            value: `${many['rosetta-same'].ok}+${many['rosetta-converted'].ok} ok; upstream held ≤ ${Math.max(many['rosetta-same'].maxUpstreamOpen, many['rosetta-converted'].maxUpstreamOpen)} at once`,
            pass: manyOk('rosetta-same') && manyOk('rosetta-converted'),
          },
        ]
      : []),
    { goal: 'RSS idle < 150 MB', value: `${mem.rosetta.idleBoot.toFixed(1)} MB`, pass: mem.rosetta.idleBoot < 150 },
  ]
  const noise = reps.map((r) => {
    const legs = [...Object.values(r.lat), ...Object.values(r.rps), ...Object.values(r.sse)].map((l) => l.noise)
    return { maxForeignCores: Math.max(...legs.map((n) => n.foreignCores)), maxStealCores: Math.max(...legs.map((n) => n.stealCores)) }
  })
  return { summary: s, ratio, goals, many, mem, soak, noise }
}

function markdown(a, meta) {
  const { summary: s, ratio, goals, many, mem, soak, noise } = a
  const ms = (x, d = 3) => fmt(x, d)
  const row = (label, cells) => `| ${label} | ${cells.join(' | ')} |`
  const cols = ['mock-openai', 'mock-anthropic', 'floor', 'rosetta-same', 'rosetta-converted']
  const L = []
  L.push(`# Rosetta bench — ${meta.date}`, '')
  L.push(`Node ${meta.node}, ${meta.cpus} × ${meta.cpuModel}, commit ${meta.commit} (+ working tree), build ${meta.build}. ${meta.config.reps} repetitions, legs interleaved; cells are median (min–max) over repetitions. ` +
    `"Added" = target − direct-to-mock in the same repetition (OpenAI mock for floor / same dialect, Anthropic mock for converted). Times in ms.`, '')
  L.push(`| metric | ${cols.join(' | ')} |`, `|---|${cols.map(() => '---').join('|')}|`)
  const pick = (obj, k, d) => cols.map((c) => (obj[c]?.[k] ? ms(obj[c][k], d) : '—'))
  L.push(row('1 conn p50', pick(s.lat, 'p50')))
  L.push(row('1 conn p99', pick(s.lat, 'p99')))
  L.push(row('1 conn added p50', pick(s.lat, 'addedP50')))
  L.push(row('1 conn added p99', pick(s.lat, 'addedP99')))
  L.push(row(`req/s @${meta.config.connections}`, pick(s.rps, 'rps', 0)))
  L.push(row(`p99 @${meta.config.connections}`, pick(s.rps, 'p99', 2)))
  L.push(row('CPU µs/req (this process)', pick(s.rps, 'cpuUsPerReq', 1)))
  L.push(row('CPU µs/req (mock upstream)', pick(s.rps, 'mockCpuUsPerReq', 1)))
  L.push(row('SSE TTFC p50', pick(s.sse, 'ttfcP50')))
  L.push(row('SSE TTFC p99', pick(s.sse, 'ttfcP99')))
  L.push(row('SSE added TTFC p50', pick(s.sse, 'addedTtfcP50')))
  L.push(row('SSE added TTFC p99', pick(s.sse, 'addedTtfcP99')))
  L.push(row('SSE per-chunk delivery p50', pick(s.sse, 'chunkP50')))
  L.push(row('SSE per-chunk delivery p99', pick(s.sse, 'chunkP99')))
  L.push(row('SSE added per-chunk p99', pick(s.sse, 'addedChunkP99')))
  L.push(row('SSE inter-chunk gap p99', pick(s.sse, 'gapP99')))
  if (Object.keys(many).length) {
    L.push(row(`${meta.config.streams} streams: ok / frames`, cols.map((c) => (many[c] ? `${many[c].ok} / ${many[c].frames}/${many[c].expectedFrames}` : '—'))))
    L.push(row(`${meta.config.streams} streams: max open at upstream`, cols.map((c) => (many[c] ? String(many[c].maxUpstreamOpen) : '—'))))
    L.push(row(`${meta.config.streams} streams: wall s`, cols.map((c) => (many[c] ? (many[c].wallMs / 1000).toFixed(2) : '—'))))
    L.push(row(`${meta.config.streams} streams: peak RSS MB`, cols.map((c) => (many[c] ? many[c].peakRssMB.toFixed(0) : '—'))))
  }
  L.push('')
  L.push('Plain Nitro route vs raw node:http (GET /health):', '')
  L.push('| metric | mock-health (node:http) | nitro-health (Rosetta /health) |', '|---|---|---|')
  L.push(`| 1 conn p50 | ${ms(s.lat['mock-health'].p50)} | ${ms(s.lat['nitro-health'].p50)} |`)
  L.push(`| 1 conn added p50 / p99 | — | ${ms(s.lat['nitro-health'].addedP50)} / ${ms(s.lat['nitro-health'].addedP99)} |`)
  L.push(`| req/s @${meta.config.connections} | ${ms(s.rps['mock-health'].rps, 0)} | ${ms(s.rps['nitro-health'].rps, 0)} |`)
  L.push(`| CPU µs/req | ${ms(s.rps['mock-health'].cpuUsPerReq, 1)} | ${ms(s.rps['nitro-health'].cpuUsPerReq, 1)} |`)
  L.push('')
  L.push('Ratios (same run, per repetition):', '')
  L.push(`- Rosetta same-dialect req/s ÷ floor: ${ms(ratio.sameVsFloor)}`)
  L.push(`- Rosetta converted ÷ same dialect: ${ms(ratio.convertedVsSame)}`)
  L.push(`- floor ÷ direct mock: ${ms(ratio.floorVsMock)}`)
  L.push(`- Nitro /health ÷ node:http /health: ${ms(ratio.nitroHealthVsMockHealth)}`)
  L.push(`- Rosetta CPU/req ÷ floor CPU/req: ${ms(ratio.cpuSameVsFloor)}`)
  L.push('')
  L.push(`Memory (VmRSS MB): Rosetta idle after boot ${mem.rosetta.idleBoot.toFixed(1)}, idle after warm-up ${mem.rosetta.idleWarm.toFixed(1)}, peak under load ${mem.rosetta.peakLoad.toFixed(1)}, after ${mem.rosetta.after.toFixed(1)} (VmHWM ${mem.rosetta.hwm.toFixed(1)}); floor idle ${mem.floor.idleBoot.toFixed(1)}, peak ${mem.floor.peakLoad.toFixed(1)}, after ${mem.floor.after.toFixed(1)}.`, '')
  L.push(
    `Machine noise per repetition (max over legs; CPU outside the bench's four processes / hypervisor steal, in cores): ` +
      noise.map((n, i) => `rep ${i + 1}: ${n.maxForeignCores.toFixed(2)} / ${n.maxStealCores.toFixed(2)}`).join('; ') +
      (noise.some((n) => n.maxForeignCores > 0.2 || n.maxStealCores > 0.2) ? ' — **a repetition ran on a busy machine; trust the medians and the per-repetition ratios, not min–max**' : ''),
    '',
  )
  if (soak) L.push(`Soak: ${soak.rps.toFixed(0)} req/s, ${soak.errors} errors, RSS samples (MB, every 10 s): ${soak.rssSamplesMB.join(', ')}`, '')
  L.push('Goals:', '', '| goal | value | result |', '|---|---|---|')
  for (const g of goals) L.push(`| ${g.goal} | ${typeof g.value === 'number' ? g.value.toFixed(3) : g.value} | ${g.pass ? 'PASS' : 'FAIL'} |`)
  return L.join('\n') + '\n'
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
    } catch {}
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
  const a = analyse(raw)
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
