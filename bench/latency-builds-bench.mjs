#!/usr/bin/env node
// One-connection latency of two (or more) builds of Rosetta, side by side: the same mock, the same
// request (same-dialect chat, not streamed), one keep-alive connection per leg, requests back to back.
// Two processes of the same build already differ (their heaps, where their threads land), so each
// round starts fresh processes, the builds' order rotates from round to round, and within a round the
// legs alternate; the table gives each build's median of its rounds' medians.
//
//   BENCH_ENTRIES=/path/a/.output/server/index.mjs,/path/b/.output/server/index.mjs npm run bench:latency-builds
//   BENCH_ROUNDS (4), BENCH_REPS (5 legs per build per round), BENCH_LAT_S (3 s per leg)
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { latencyLeg } from './lib/clients.mjs'
import { summary, fmt } from './lib/stats.mjs'
import { CLIENT_KEY, benchEntries, envNumber, startRosetta, writeBenchConfig } from './lib/cpu-legs.mjs'
import { noiseMeter, startNode, portLine } from './lib/proc.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROUNDS = envNumber('BENCH_ROUNDS', 4)
const REPS = envNumber('BENCH_REPS', 5)
const LAT_MS = envNumber('BENCH_LAT_S', 3) * 1000
const ENTRIES = benchEntries()

const body = JSON.stringify({ model: 'gpt-bench', messages: [{ role: 'user', content: 'Hello, how are you?' }], max_tokens: 64 })
const headers = { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` }
const KEYS = ['p50', 'p99', 'p99.9']

const dir = mkdtempSync(join(tmpdir(), 'rosetta-latency-builds-'))
const mock = startNode([join(HERE, 'mock-upstream.mjs')], { PORT: '0' }, { ready: portLine })
try {
  const mockPort = await mock.started
  const config = join(dir, 'rosetta.yaml')
  writeBenchConfig(config, mockPort, 'gpt-')
  // Per build: per round, the median of its legs, for each percentile.
  const out = ENTRIES.map(() => Object.fromEntries(KEYS.map((k) => [k, []])))
  const direct = []
  let noisiest = 0
  for (let round = 0; round < ROUNDS; round++) {
    const order = ENTRIES.map((_, i) => (i + round) % ENTRIES.length)
    const procs = []
    const legs = []
    for (const i of order) {
      const roundDir = join(dir, `round${round}`)
      mkdirSync(roundDir, { recursive: true })
      const { origin } = await startRosetta(procs, { entry: ENTRIES[i], dir: roundDir, name: `b${i}`, config })
      legs.push({ i, t: { origin, path: '/v1/chat/completions', method: 'POST', headers, body } })
    }
    // This process (the load generator), the mock and this round's servers are the bench; the rest is noise.
    const noise = noiseMeter([process.pid, mock.pid, ...procs.map((p) => p.pid)])
    try {
      // Warm-up: the JIT, the pools, the first log rows (and the encoder thread they start).
      for (const l of legs) await latencyLeg(l.t, 2000)
      const got = ENTRIES.map(() => Object.fromEntries(KEYS.map((k) => [k, []])))
      for (let r = 0; r < REPS; r++) {
        for (const l of r % 2 ? [...legs].reverse() : legs) {
          const res = await latencyLeg(l.t, LAT_MS)
          for (const k of KEYS) got[l.i][k].push(res[k])
        }
      }
      direct.push((await latencyLeg({ origin: `http://127.0.0.1:${mockPort}`, path: '/v1/chat/completions', method: 'POST', headers, body }, LAT_MS)).p99)
      for (const [i, g] of got.entries()) for (const k of KEYS) out[i][k].push(summary(g[k]).med)
      noisiest = Math.max(noisiest, noise().foreignCores)
      console.error(`round ${round + 1}/${ROUNDS}: ` + got.map((g, i) => `#${i + 1} p99 ${fmt(summary(g.p99))}`).join(', '))
    } finally {
      for (const p of procs.reverse()) await p.stop()
    }
  }
  let md = `# One-connection latency by build — ${new Date().toISOString()}\n\nSame-dialect chat, not streamed, one connection. ${ROUNDS} rounds of fresh processes (builds' order rotated), ${REPS} legs of ${LAT_MS / 1000} s per build per round, alternating. Cells: median (min–max) over the rounds of each round's median, ms, end to end (the mock alone answers at p99 ${fmt(summary(direct))} ms). Machine noise: at most ${noisiest.toFixed(2)} cores outside the bench in a round.\n\n| build | p50 | p99 | p99.9 |\n|---|---:|---:|---:|\n`
  for (const [i, e] of ENTRIES.entries()) md += `| #${i + 1} \`${e}\` | ${KEYS.map((k) => fmt(summary(out[i][k]))).join(' | ')} |\n`
  md += `\nPer round, p99 (ms): ${ENTRIES.map((_, i) => `#${i + 1} ${out[i].p99.map((x) => x.toFixed(3)).join(', ')}`).join('; ')}\n`
  console.log(md)
  mkdirSync(join(HERE, 'results'), { recursive: true })
  writeFileSync(join(HERE, 'results', 'latency-builds-latest.md'), md)
} finally {
  await mock.stop()
  rmSync(dir, { recursive: true, force: true })
}
