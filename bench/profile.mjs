#!/usr/bin/env node
// Where does Rosetta's time go? Runs the mock, the floor and Rosetta with `node --cpu-prof`, drives
// each with autocannon at 50 connections, stops them (the profile is written on exit), and prints
// the top self-time functions. `node bench/profile.mjs` → bench/results/profile.md (+ .cpuprofile files).
// Env: BENCH_PROFILE_S (10), BENCH_CONNECTIONS (50), BENCH_PROFILE_LEGS (same,converted,health,floor).
import { mkdtempSync, writeFileSync, mkdirSync, readdirSync, rmSync, existsSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { createServer } from 'node:net'
import { startNode, portLine, cpuSeconds } from './lib/proc.mjs'
import { throughputLeg } from './lib/clients.mjs'
import { topSelf, printTop } from './cpuprofile-top.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..')
const SECS = Number(process.env.BENCH_PROFILE_S || 10)
const CONN = Number(process.env.BENCH_CONNECTIONS || 50)
const LEGS = (process.env.BENCH_PROFILE_LEGS || 'same,converted,health,floor').split(',')
const OUT = process.env.BENCH_OUT || join(HERE, 'results')
const CLIENT_KEY = 'rk-bench-client-0123456789abcdefghij'
const entry = join(ROOT, '.output/server/index.mjs')
if (!existsSync(entry)) throw new Error('.output is missing: run `npx nuxt build` first')

const oaBody = JSON.stringify({ model: 'gpt-bench', messages: [{ role: 'user', content: 'Hello, how are you?' }], max_tokens: 64 })
const anBody = JSON.stringify({ model: 'gpt-bench', max_tokens: 64, messages: [{ role: 'user', content: 'Hello, how are you?' }] })
const oaH = { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` }
const anH = { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY, 'anthropic-version': '2023-06-01' }

const mock = startNode([join(HERE, 'mock-upstream.mjs')], { PORT: '0' }, { ready: portLine })
const mockPort = await mock.started
mkdirSync(OUT, { recursive: true })
let md = `# CPU profiles — ${new Date().toISOString()}\n\nEach leg: ${SECS}s of autocannon at ${CONN} connections against a process started with \`node --cpu-prof\` (after a 3 s warm-up in the same process). Self time, aggregated by function and by file/package. \`.output/server/chunks/...\` is Rosetta's bundled code.\n\n`

async function profileLeg(name, args, env, target, ready, cwd) {
  const profDir = mkdtempSync(join(tmpdir(), `rosetta-prof-${name}-`))
  const p = startNode(['--cpu-prof', `--cpu-prof-dir=${profDir}`, ...args], env, { ready, cwd, timeoutMs: 60_000 })
  const port = await p.started
  const t = { ...target, origin: `http://127.0.0.1:${port}` }
  for (let i = 0; i < 50; i++) {
    try {
      const r = await fetch(t.origin + '/health')
      if (r.status < 500) break
    } catch {
      /* not listening yet */
    }
    await sleep(100)
  }
  await throughputLeg(t, CONN, 3, { keepLatencies: false })
  const c0 = cpuSeconds(p.pid)
  const res = await throughputLeg(t, CONN, SECS, { keepLatencies: false })
  const cpu = cpuSeconds(p.pid) - c0
  await p.stop('SIGINT')
  // One profile per thread: CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; thread 0 is the event loop.
  const files = readdirSync(profDir).filter((x) => x.endsWith('.cpuprofile'))
  const f = files.find((x) => x.split('.')[4] === '0')
  if (!f) throw new Error(`${name}: no .cpuprofile written\n${p.output()}`)
  for (const other of files.filter((x) => x !== f)) copyFileSync(join(profDir, other), join(OUT, `profile-${name}-thread-${other.split('.')[4]}.cpuprofile`))
  copyFileSync(join(profDir, f), join(OUT, `profile-${name}.cpuprofile`))
  rmSync(profDir, { recursive: true, force: true })
  const r = topSelf(join(OUT, `profile-${name}.cpuprofile`), 25)
  const head = `${name}: ${res.rps.toFixed(0)} req/s, ${((cpu / res.requests) * 1e6).toFixed(0)} µs CPU/req (profiler on), ${res.errors} errors`
  console.error(head)
  md += `## ${head}\n\n` + printTop(`${name} ${t.method} ${t.path}`, r) + '\n'
}

try {
  const dir = mkdtempSync(join(tmpdir(), 'rosetta-prof-'))
  writeFileSync(
    join(dir, 'rosetta.yaml'),
    `providers:\n  - id: mock\n    type: openai\n    base_url: http://127.0.0.1:${mockPort}/v1\n    keys: [sk-bench-upstream]\nroutes:\n  - { name: bench, match: { prefix: "gpt-" }, provider: mock, priority: 10 }\ndefault_provider: mock\nclient_keys:\n  - { name: bench, key: ${CLIENT_KEY} }\n`,
  )
  const rosettaLeg = async (name, target) => {
    const port = await new Promise((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = s.address().port
        s.close(() => resolve(p))
      })
    })
    const db = join(dir, `${name}.duckdb`)
    await profileLeg(
      name,
      [entry],
      { PORT: String(port), HOST: '127.0.0.1', NUXT_DB_PATH: db, NUXT_ADMIN_KEY: 'rsk-bench-admin-0123456789abcdefghij', NUXT_CONFIG_FILE: join(dir, 'rosetta.yaml') },
      target,
      (l) => (l.includes('Rosetta is ready') ? port : undefined),
      dir,
    )
  }
  for (const leg of LEGS) {
    if (leg === 'same') await rosettaLeg('rosetta-same', { path: '/v1/chat/completions', method: 'POST', headers: oaH, body: oaBody })
    else if (leg === 'converted') await rosettaLeg('rosetta-converted', { path: '/v1/messages', method: 'POST', headers: anH, body: anBody })
    else if (leg === 'health') await rosettaLeg('nitro-health', { path: '/health', method: 'GET', headers: {} })
    else if (leg === 'floor')
      await profileLeg('floor', [join(HERE, 'floor-proxy.mjs')], { PORT: '0', UPSTREAM: `http://127.0.0.1:${mockPort}` }, { path: '/v1/chat/completions', method: 'POST', headers: oaH, body: oaBody }, portLine)
  }
  rmSync(dir, { recursive: true, force: true })
  writeFileSync(join(OUT, 'profile.md'), md)
  console.log(md)
} finally {
  await mock.stop()
}
