#!/usr/bin/env node
// NUXT_WORKERS: requests per second of one Rosetta process against n forked workers on one port
// (issue 22 item 4). Workers need cluster mode, so both legs run on a throwaway PostgreSQL and Redis
// (tests/support) with the same settings; only NUXT_WORKERS differs. The load generator (autocannon,
// this process) and the mock upstream share the machine's cores with the workers: on 2 cores, 2
// workers compete with them, so the gain is bounded well below 2x. Run on a quiet machine:
//   npm run bench:workers                      # legs 1 and 2
//   BENCH_WORKERS=1,2,auto BENCH_RPS_S=20 npm run bench:workers
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir, availableParallelism } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { createServer } from 'node:net'
import { startNode, portLine } from './lib/proc.mjs'
import { throughputLeg } from './lib/clients.mjs'
import { startPgServer } from '../tests/support/pg-server.ts'
import { startRedisServer } from '../tests/support/redis-server.ts'

const HERE = dirname(fileURLToPath(import.meta.url))
const entry = join(HERE, '..', '.output/server/index.mjs')
if (!existsSync(entry)) throw new Error('.output is missing: run `npm run build` first')
const LEGS = (process.env.BENCH_WORKERS || '1,2').split(',').map((s) => s.trim()).filter(Boolean)
const SECONDS = Number(process.env.BENCH_RPS_S || 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50)
const CLIENT_KEY = 'rk-bench-workers-0123456789abcdef'
const ADMIN_KEY = 'rsk-bench-workers-0123456789abcdefghij'
const MASTER_KEY = Buffer.alloc(32, 9).toString('base64')

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port
      s.close(() => resolve(p))
    })
  })

const mock = startNode([join(HERE, 'mock-upstream.mjs')], { PORT: '0' }, { ready: portLine })
const mockPort = await mock.started
const pg = await startPgServer()
const redis = await startRedisServer()
const rows = []
try {
  for (const leg of LEGS) {
    const dir = mkdtempSync(join(tmpdir(), 'rosetta-bench-workers-'))
    writeFileSync(
      join(dir, 'rosetta.yaml'),
      `providers:\n  - { id: mock, type: openai, base_url: "http://127.0.0.1:${mockPort}/v1", keys: [sk-bench] }\ndefault_provider: mock\nclient_keys:\n  - { name: bench, key: ${CLIENT_KEY} }\n`,
    )
    const port = await freePort()
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      NUXT_WORKERS: leg,
      NUXT_DATABASE_URL: await pg.createDatabase(),
      NUXT_REDIS_URL: redis.url,
      NUXT_MASTER_KEY: MASTER_KEY,
      NUXT_ADMIN_KEY: ADMIN_KEY,
      NUXT_CONFIG_FILE: join(dir, 'rosetta.yaml'),
      NUXT_PROBE_INTERVAL_S: '0',
    }
    // One process says "Rosetta is ready"; a primary says "all workers ready" once every worker has.
    const ready = (l) => (l.includes(leg === '1' ? 'Rosetta is ready' : 'all workers ready') ? true : undefined)
    const rosetta = startNode([entry], env, { cwd: dir, ready, timeoutMs: 90_000 })
    await rosetta.started
    const t = {
      origin: `http://127.0.0.1:${port}`,
      path: '/v1/chat/completions',
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({ model: 'gpt-bench', messages: [{ role: 'user', content: 'Hello, how are you?' }], max_tokens: 64 }),
    }
    await throughputLeg(t, CONNECTIONS, 2, { keepLatencies: false }) // warm-up
    await sleep(500)
    const r = await throughputLeg(t, CONNECTIONS, SECONDS)
    rows.push({ workers: leg, ...r })
    console.log(JSON.stringify({ workers: leg, rps: Math.round(r.rps), p50: r.p50, p99: r.p99, errors: r.errors }))
    await rosetta.stop('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
} finally {
  await mock.stop()
  await redis.stop()
  pg.stop()
}

const base = rows[0]?.rps || 1
const md = [
  `# NUXT_WORKERS (cluster mode, ${availableParallelism()} cores, ${CONNECTIONS} connections, ${SECONDS} s per leg, ${new Date().toISOString()})`,
  '',
  '| workers | requests/s | vs first leg | p50 ms | p99 ms | errors |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.workers} | ${Math.round(r.rps)} | ${(r.rps / base).toFixed(2)}x | ${r.p50?.toFixed?.(1) ?? r.p50} | ${r.p99?.toFixed?.(1) ?? r.p99} | ${r.errors} |`),
  '',
].join('\n')
const out = process.env.BENCH_OUT || join(HERE, 'results')
mkdirSync(out, { recursive: true })
writeFileSync(join(out, 'workers-latest.md'), md)
console.log(md)
