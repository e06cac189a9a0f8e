import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_KEY, CLIENT_KEY, mockConfigYaml, startServer, type RunningServer } from './support/server'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'
import { bearer, fetchFrom, trpc, type Reply } from './support/admin-api'
import { TEST_MASTER_KEY } from './support/test-store'
import { pgAvailable, startPgServer, type PgServer } from '../support/pg-server'
import { redisAvailable, startRedisServer, type RedisServer } from '../support/redis-server'

/**
 * NUXT_WORKERS=2 on the built server (issue 22 item 4), in cluster mode (PostgreSQL + Redis): two
 * forked workers behind one port. Node's cluster primary hands each new connection to the next worker,
 * so every request here goes on a connection of its own (a source address of its own, see `via`) and
 * /health/detailed names the worker that answered.
 * Starts its own PostgreSQL + Redis, so it is cluster mode in every run: not in `npm run test:e2e:cluster`.
 */
const A = bearer(ADMIN_KEY)
const RPM_KEY = 'rk-workers-rpm-0123456789abcdef'

let source = 10
/** The next loopback source address: a fresh connection, so the primary picks the next worker. */
const via = () => `127.0.${Math.floor(source / 250)}.${(source++ % 250) + 2}`

async function reply(r: Response): Promise<Reply> {
  const text = await r.text()
  let body: any
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: r.status, headers: r.headers, body, text }
}

const chatVia = async (base: string, key: string, model: string, path = '/v1/chat/completions') =>
  reply(await fetchFrom(via(), `${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(key) }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) }))

const whoAnswers = async (base: string) => (await reply(await fetchFrom(via(), `${base}/health/detailed`, { headers: A }))).body.instance as string

/** Asks until both workers have answered (a fresh one may still be booting: up to a minute beside other files on 2 busy cores); returns their instance names. */
async function bothWorkers(base: string, limitMs = 60_000): Promise<Set<string>> {
  const seen = new Set<string>()
  const t0 = Date.now()
  while (seen.size < 2 && Date.now() - t0 < limitMs) {
    try {
      const id = await whoAnswers(base)
      if (id) seen.add(id)
    } catch {
      /* a worker going away mid-request */
    }
    if (seen.size < 2) await new Promise((r) => setTimeout(r, 50))
  }
  return seen
}

describe.skipIf(!pgAvailable || !redisAvailable)('NUXT_WORKERS=2: two workers on one port (cluster mode)', () => {
  let pg: PgServer
  let redis: RedisServer
  let mock: MockUpstream
  let server: RunningServer
  let dbUrl: string

  beforeAll(async () => {
    pg = await startPgServer()
    redis = await startRedisServer()
    mock = await startMockUpstream()
    dbUrl = await pg.createDatabase()
    const yaml = mockConfigYaml(mock.url, `  - { name: rpm10, key: ${RPM_KEY}, rpm: 10 }\n`)
    server = await startServer({ config: yaml, env: { NUXT_WORKERS: '2', NUXT_DATABASE_URL: dbUrl, NUXT_MASTER_KEY: TEST_MASTER_KEY, NUXT_REDIS_URL: redis.url, NUXT_INSTANCE_ID: 'rw' } })
  }, 120_000)

  afterAll(async () => {
    await server?.stop('SIGKILL').catch(() => {})
    await mock?.close()
    await redis?.stop()
    pg?.stop()
  })

  it('requests spread over both workers, each named on /health/detailed', async () => {
    expect(await bothWorkers(server.url)).toEqual(new Set(['rw-w1', 'rw-w2']))
    const ids = await Promise.all(Array.from({ length: 10 }, () => whoAnswers(server.url)))
    expect(new Set(ids)).toEqual(new Set(['rw-w1', 'rw-w2']))
    expect(server.output()).toContain('"msg":"all workers ready"')
  }, 90_000)

  it('rpm: 10 — exactly 10 of 30 concurrent requests over both workers are admitted', async () => {
    const rs = await Promise.all(Array.from({ length: 30 }, () => chatVia(server.url, RPM_KEY, 'oa-text')))
    expect(rs.filter((r) => r.status === 200)).toHaveLength(10)
    expect(rs.filter((r) => r.status === 429)).toHaveLength(20)
  })

  it('a provider added through the admin API is served at once by both workers', async () => {
    const r = await trpc(server.url, 'mutation', 'providers.create', { id: 'late-w', type: 'openai', base_url: `${mock.url}/openai/v1`, keys: ['sk-late-workers-1'] }, A)
    expect(r.status).toBe(200)
    // Within one second every connection (so both workers) serves it.
    await new Promise((r) => setTimeout(r, 1000))
    const rs = await Promise.all(Array.from({ length: 8 }, () => chatVia(server.url, CLIENT_KEY, 'oa-text', '/v1/late-w/chat/completions')))
    expect(rs.map((x) => x.status)).toEqual(Array(8).fill(200))
    expect(mock.requests.filter((q) => q.headers.authorization === 'Bearer sk-late-workers-1').length).toBe(8)
  })

  it('the log rows of both workers appear in logs.list', async () => {
    const k = await trpc(server.url, 'mutation', 'clientKeys.create', { name: 'both' }, A)
    const key = k.body.result.data.key as string
    await new Promise((r) => setTimeout(r, 1000))
    const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => chatVia(server.url, key, `oa-path-both-${i}`)))
    expect(rs.every((r) => r.status === 200)).toBe(true)
    const list = async () => (await trpc(server.url, 'query', 'logs.list', { since: '1h', clientKey: 'both', limit: 100 }, A)).body.result.data as { total: number }
    const t0 = Date.now()
    while ((await list()).total < 10 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 200))
    expect((await list()).total).toBe(10)
  })

  it('a worker killed with SIGKILL is re-forked with the same index and serves again', async () => {
    const h = await reply(await fetchFrom(via(), `${server.url}/health/detailed`, { headers: A }))
    const { index, pid } = h.body.worker as { index: number; pid: number }
    expect(h.body.instance).toBe(`rw-w${index}`)
    process.kill(pid, 'SIGKILL')
    const t0 = Date.now()
    while (!server.output().includes('"msg":"worker died: forking a replacement"') && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 50))
    expect(server.output()).toContain('"msg":"worker died: forking a replacement"')
    // Both indexes answer again, the replacement under a new pid.
    const pids = new Map<number, number>()
    while (pids.size < 2 && Date.now() - t0 < 60_000) {
      const w = (await reply(await fetchFrom(via(), `${server.url}/health/detailed`, { headers: A }).catch(() => new Response('{}')))).body?.worker as { index: number; pid: number } | undefined
      if (w) pids.set(w.index, w.pid)
      await new Promise((r) => setTimeout(r, 50))
    }
    expect([...pids.keys()].sort()).toEqual([1, 2])
    expect(pids.get(index)).not.toBe(pid)
    // The primary went on: the replacement's own boot line.
    expect(server.output().match(/"msg":"Rosetta is ready"/g)!.length).toBe(3)
  }, 90_000)

  it('SIGTERM shuts all workers down: requests in flight finish, their rows are written, exit code 0', async () => {
    const k = await trpc(server.url, 'mutation', 'clientKeys.create', { name: 'last' }, A)
    const key = k.body.result.data.key as string
    await new Promise((r) => setTimeout(r, 1000))
    // `hold` answers after 300 ms: these are in flight on both workers when the signal arrives.
    const inflight = Promise.all(Array.from({ length: 6 }, (_, i) => chatVia(server.url, key, `oa-hold-${i}`)))
    await new Promise((r) => setTimeout(r, 100))
    const code = await server.stop('SIGTERM', { keepDir: true })
    const rs = await inflight
    expect(rs.map((r) => r.status)).toEqual(Array(6).fill(200))
    expect(code).toBe(0)
    expect(server.output().match(/shutdown complete/g)).toHaveLength(2)
    const { Client } = await import('pg')
    const c = new Client({ connectionString: dbUrl })
    await c.connect()
    try {
      const r = await c.query<{ n: string }>(`SELECT count(*) AS n FROM request_log WHERE client_key = 'last'`)
      expect(Number(r.rows[0]!.n)).toBe(6)
    } finally {
      await c.end()
    }
  }, 60_000)
})

describe('NUXT_WORKERS on the embedded DuckDB', () => {
  it('above 1 without NUXT_DATABASE_URL and NUXT_REDIS_URL: refused with the reason, exit 1, nothing forked or opened', async () => {
    const s = await startServer({ env: { NUXT_WORKERS: '2', NUXT_DATABASE_URL: '', NUXT_REDIS_URL: '' }, expectFailure: true })
    expect((s as unknown as { exitCode: number | null }).exitCode).toBe(1)
    expect(s.output()).toContain('NUXT_WORKERS above 1 needs cluster mode (NUXT_DATABASE_URL and NUXT_REDIS_URL)')
    expect(s.output()).not.toContain('forking workers')
    s.cleanup()
  })

  it('a bad value is refused with the accepted forms', async () => {
    const s = await startServer({ env: { NUXT_WORKERS: 'many' }, expectFailure: true })
    expect((s as unknown as { exitCode: number | null }).exitCode).toBe(1)
    expect(s.output()).toContain('NUXT_WORKERS must be a whole number from 1 to 64 or \\"auto\\"')
    s.cleanup()
  })
})
