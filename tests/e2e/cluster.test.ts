import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_KEY, CLIENT_KEY, mockConfigYaml, startServer, type RunningServer } from './support/server'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'
import { bearer, chat, rest, trpc, type Reply } from './support/admin-api'
import { TEST_MASTER_KEY } from './support/test-store'
import { pgAvailable, startPgServer, type PgServer } from '../support/pg-server'
import { redisAvailable, startRedisServer, type RedisServer } from '../support/redis-server'

/**
 * Three instances on one PostgreSQL and one Redis (issue 15): shared client-key limits, key states
 * and configuration reaching every instance, one merged request log, an instance killed under load,
 * Redis away for 10 s. Propagation is measured (the numbers are in the test names' claims: < 1 s)
 * by polling the other instances from the moment the change was acknowledged.
 * Starts its own PostgreSQL + Redis, so it is cluster mode in every run: not in `npm run test:e2e:cluster`.
 */
const A = bearer(ADMIN_KEY)
const RPM_KEY = 'rk-cluster-rpm-0123456789abcdef'
const DAY_KEY = 'rk-cluster-day-0123456789abcdef'

/** Polls `check` on every instance until it holds everywhere; returns the ms it took. */
async function everywhere(servers: RunningServer[], check: (s: RunningServer) => Promise<boolean>, limitMs = 5000): Promise<number> {
  const t0 = performance.now()
  const pending = new Set(servers)
  while (pending.size) {
    for (const s of [...pending]) if (await check(s)) pending.delete(s)
    if (!pending.size) break
    if (performance.now() - t0 > limitMs) throw new Error(`not everywhere after ${limitMs} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
  return performance.now() - t0
}

describe.skipIf(!pgAvailable || !redisAvailable)('cluster: three instances, one PostgreSQL, one Redis', () => {
  let pg: PgServer
  let redis: RedisServer
  let mock: MockUpstream
  let servers: RunningServer[] = []

  beforeAll(async () => {
    pg = await startPgServer()
    redis = await startRedisServer()
    mock = await startMockUpstream()
    const url = await pg.createDatabase()
    const yaml = mockConfigYaml(
      mock.url,
      `  - { name: rpm10, key: ${RPM_KEY}, rpm: 10 }
  - { name: day100, key: ${DAY_KEY}, day_tokens: 100 }
`,
    )
    // Boot at the same moment on the empty database (migrations and rosetta.yaml: exactly once).
    servers = await Promise.all(
      ['i1', 'i2', 'i3'].map((id) =>
        startServer({ config: yaml, env: { NUXT_DATABASE_URL: url, NUXT_MASTER_KEY: TEST_MASTER_KEY, NUXT_REDIS_URL: redis.url, NUXT_INSTANCE_ID: id } }),
      ),
    )
  }, 120_000)

  afterAll(async () => {
    for (const s of servers) await s.stop('SIGKILL').catch(() => {})
    await mock?.close()
    await redis?.stop()
    pg?.stop()
  })

  it('each instance names itself on /health/detailed, /metrics and its log lines', async () => {
    for (const [i, s] of servers.entries()) {
      const h = await rest(s.url, 'GET', '/health/detailed', undefined, A)
      expect(h.body).toMatchObject({ status: 'ok', instance: `i${i + 1}`, cluster: { instance: `i${i + 1}`, redis: { configured: true, connected: true } } })
      const m = await rest(s.url, 'GET', '/metrics', undefined, A)
      expect(m.text).toContain(`rosetta_instance_info{instance_id="i${i + 1}"} 1`)
      expect(m.text).toMatch(/^rosetta_redis_up 1$/m)
      expect(s.output()).toContain(`"instance":"i${i + 1}"`)
    }
    // Exactly one runs the background jobs.
    const runs = await Promise.all(servers.map(async (s) => (await rest(s.url, 'GET', '/health/detailed', undefined, A)).body.cluster.runsJobs as boolean))
    expect(runs.filter(Boolean)).toHaveLength(1)
  })

  it('rpm: 10 — exactly 10 of 30 concurrent requests spread over the three instances are admitted', async () => {
    const rs = await Promise.all(Array.from({ length: 30 }, (_, i) => chat(servers[i % 3]!.url, RPM_KEY, 'oa-text')))
    expect(rs.filter((r) => r.status === 200)).toHaveLength(10)
    const refused = rs.filter((r) => r.status === 429)
    expect(refused).toHaveLength(20)
    expect(refused[0]!.body.error.message).toContain("API key 'rpm10' may make 10 requests per minute")
  })

  it('a day token budget is shared: the instances together stop where one would', async () => {
    let admitted = 0
    let tokens = 0
    let last: Reply | undefined
    for (let i = 0; i < 40; i++) {
      // Sequential: the previous request's usage is booked as its answer ends (a short pause covers
      // the settle's round trip to Redis, which runs right after the last byte).
      if (i) await new Promise((r) => setTimeout(r, 100))
      last = await chat(servers[i % 3]!.url, DAY_KEY, 'oa-text')
      if (last.status !== 200) break
      admitted++
      tokens = Number(last.body.usage.total_tokens)
    }
    expect(last!.status).toBe(429)
    expect(last!.body.error.message).toContain('daily token budget spent')
    // Sequential requests of `tokens` each against 100: refused once the day's total reaches 100.
    expect(admitted).toBe(Math.ceil(100 / tokens))
  })

  it('a key disabled through instance 1 is disabled on 2 and 3 within one second', async () => {
    const keys = (await trpc(servers[0]!.url, 'query', 'keys.list', { provider: 'mock-anthropic' }, A)).body.result.data as Array<{ id: number }>
    const r = await trpc(servers[0]!.url, 'mutation', 'keys.disable', { id: keys[0]!.id, reason: 'cluster test' }, A)
    expect(r.status).toBe(200)
    const ms = await everywhere(servers.slice(1), async (s) => {
      const list = (await trpc(s.url, 'query', 'keys.list', { provider: 'mock-anthropic' }, A)).body.result.data as Array<{ id: number; disabledReason: string | null }>
      return list.find((k) => k.id === keys[0]!.id)?.disabledReason === 'cluster test'
    })
    console.log(`propagation: ${Math.round(ms)} ms`)
    expect(ms).toBeLessThan(1000)
    // And it is skipped: the only key of the provider is disabled, so no instance sends to it.
    const before = mock.requests.filter((q) => q.headers['x-api-key'] === 'sk-ant-upstream-1').length
    for (const s of servers) expect((await chat(s.url, CLIENT_KEY, 'an-text', '/v1/messages')).status).not.toBe(200)
    expect(mock.requests.filter((q) => q.headers['x-api-key'] === 'sk-ant-upstream-1').length).toBe(before)
    await trpc(servers[2]!.url, 'mutation', 'keys.enable', { id: keys[0]!.id }, A)
    await everywhere(servers, async (s) => (await chat(s.url, CLIENT_KEY, 'an-text', '/v1/messages')).status === 200)
  })

  it('a key rested by a 429 through one instance is skipped by the others within one second', async () => {
    const sent = () => mock.requests.filter((q) => q.headers.authorization === 'Bearer sk-limited-openai').length
    const before = sent()
    // retry-after: 7 (longer than the 5 s a request may wait): the pair rests 7 s and the 429 goes back.
    expect((await chat(servers[0]!.url, CLIENT_KEY, 'oa-e429')).status).toBe(429)
    expect(sent()).toBe(before + 1)
    const ms = await everywhere(servers.slice(1), async (s) => {
      const list = (await trpc(s.url, 'query', 'keys.list', { provider: 'mock-openai-limited' }, A)).body.result.data as Array<{ restingModels: Array<{ model: string }> }>
      return list[0]!.restingModels.some((m) => m.model === 'oa-e429')
    })
    console.log(`propagation: ${Math.round(ms)} ms`)
    expect(ms).toBeLessThan(1000)
    for (const s of servers.slice(1)) expect((await chat(s.url, CLIENT_KEY, 'oa-e429')).status).toBe(429)
    // Nobody sent to the resting key again.
    expect(sent()).toBe(before + 1)
  })

  it('a provider added through instance 2 is served by instances 1 and 3 within one second', async () => {
    const r = await trpc(servers[1]!.url, 'mutation', 'providers.create', { id: 'late-p', type: 'openai', base_url: `${mock.url}/openai/v1`, keys: ['sk-late-provider-1'] }, A)
    expect(r.status).toBe(200)
    const ms = await everywhere([servers[0]!, servers[2]!], async (s) => (await chat(s.url, CLIENT_KEY, 'oa-text', '/v1/late-p/chat/completions')).status === 200)
    console.log(`propagation: ${Math.round(ms)} ms`)
    expect(ms).toBeLessThan(1000)
    expect(mock.requests.some((q) => q.headers.authorization === 'Bearer sk-late-provider-1')).toBe(true)
  })

  it('max_concurrency: 2 on a key holds over the three instances: 2 of 9 concurrent requests are sent, 7 get a 429', async () => {
    const r = await trpc(servers[0]!.url, 'mutation', 'providers.create', { id: 'capped', type: 'openai', base_url: `${mock.url}/openai/v1`, keys: [{ key: 'sk-capped-1', max_concurrency: 2 }] }, A)
    expect(r.status, r.text).toBe(200)
    await everywhere(servers, async (s) => (await chat(s.url, CLIENT_KEY, 'oa-text', '/v1/capped/chat/completions')).status === 200)
    const sent = () => mock.requests.filter((q) => q.headers.authorization === 'Bearer sk-capped-1').length
    const before = sent()
    // oa-hold answers after 300 ms: the nine arrive while the first two are still in flight.
    const rs = await Promise.all(Array.from({ length: 9 }, (_, i) => chat(servers[i % 3]!.url, CLIENT_KEY, 'oa-hold', '/v1/capped/chat/completions')))
    expect(rs.map((x) => x.status).sort()).toEqual([200, 200, 429, 429, 429, 429, 429, 429, 429])
    expect(rs.find((x) => x.status === 429)!.body.error.message).toContain('at its concurrency limit')
    expect(sent() - before).toBe(2)
    // The slots are given back: the key serves again once those two ended.
    for (const s of servers) expect((await chat(s.url, CLIENT_KEY, 'oa-text', '/v1/capped/chat/completions')).status).toBe(200)
  })

  it('the log rows of all three appear in one logs.list, and stats totals equal the requests sent', async () => {
    const k = await trpc(servers[0]!.url, 'mutation', 'clientKeys.create', { name: 'merged' }, A)
    const key = k.body.result.data.key as string
    await everywhere(servers, async (s) => (await chat(s.url, key, 'oa-path-merged-probe')).status === 200)
    const sentBefore = 3
    for (const [i, s] of servers.entries()) for (let n = 0; n < 2; n++) expect((await chat(s.url, key, `oa-path-merged-${i}`)).status).toBe(200)
    const list = async () => (await trpc(servers[0]!.url, 'query', 'logs.list', { since: '1h', clientKey: 'merged', limit: 500 }, A)).body.result.data as { items: Array<{ model: string }>; total: number }
    await everywhere([servers[0]!], async () => (await list()).total >= sentBefore + 6, 10_000)
    const rows = await list()
    expect(rows.total).toBe(sentBefore + 6)
    expect(new Set(rows.items.map((r) => r.model).filter((m) => m.startsWith('oa-path-merged-') && m !== 'oa-path-merged-probe'))).toEqual(new Set(['oa-path-merged-0', 'oa-path-merged-1', 'oa-path-merged-2']))
    const summary = (await trpc(servers[2]!.url, 'query', 'stats.summary', { since: '1h', clientKey: 'merged' }, A)).body.result.data as { totals: { requests: number } }
    expect(summary.totals.requests).toBe(sentBefore + 6)
  })

  it('Redis stopped for 10 s: requests keep succeeding on every instance; health says degraded, then connected again', async () => {
    await redis.kill()
    const until = Date.now() + 10_000
    const statuses: number[] = []
    let sawDegraded = false
    while (Date.now() < until) {
      const rs = await Promise.all(servers.map((s) => chat(s.url, CLIENT_KEY, 'oa-text')))
      statuses.push(...rs.map((r) => r.status))
      if (!sawDegraded) {
        const h = await rest(servers[0]!.url, 'GET', '/health/detailed', undefined, A)
        const m = await rest(servers[0]!.url, 'GET', '/metrics', undefined, A)
        sawDegraded = h.body.status === 'degraded' && h.body.cluster.redis.connected === false && /^rosetta_redis_up 0$/m.test(m.text)
      }
      await new Promise((r) => setTimeout(r, 200))
    }
    expect(statuses.length).toBeGreaterThan(30)
    expect(statuses.every((s) => s === 200)).toBe(true)
    expect(sawDegraded).toBe(true)
    await redis.start()
    // (The status itself may stay degraded for another reason: earlier tests left providers failing.)
    await everywhere(servers, async (s) => (await rest(s.url, 'GET', '/health/detailed', undefined, A)).body.cluster.redis.connected === true, 10_000)
    for (const s of servers) expect((await rest(s.url, 'GET', '/metrics', undefined, A)).text).toMatch(/^rosetta_redis_up 1$/m)
    // Shared limits are shared again: a fresh rpm window admits 10 of 30 over the three.
    await trpc(servers[0]!.url, 'mutation', 'clientKeys.create', { name: 'after-redis', rpm: 10 }, A).then(async (k) => {
      const key = k.body.result.data.key as string
      await everywhere(servers, async (s) => (await chat(s.url, key, 'oa-text')).status === 200)
      const rs = await Promise.all(Array.from({ length: 30 }, (_, i) => chat(servers[i % 3]!.url, key, 'oa-text')))
      expect(rs.filter((r) => r.status === 200).length).toBe(10 - 3)
    })
  }, 60_000)

  it('kill -9 of one instance under load loses nothing on the others', async () => {
    const [victim, ...rest2] = [servers[2]!, servers[0]!, servers[1]!]
    const sent: Reply[] = []
    let stop = false
    const load = (async () => {
      while (!stop) sent.push(...(await Promise.all(rest2.map((s) => chat(s.url, CLIENT_KEY, 'oa-text')))))
    })()
    await new Promise((r) => setTimeout(r, 500))
    await victim.stop('SIGKILL', { keepDir: true })
    await new Promise((r) => setTimeout(r, 1500))
    stop = true
    await load
    expect(sent.length).toBeGreaterThan(4)
    expect(sent.every((r) => r.status === 200)).toBe(true)
    servers = servers.filter((s) => s !== victim)
  })
})
