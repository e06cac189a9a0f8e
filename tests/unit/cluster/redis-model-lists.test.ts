import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { RedisLink } from '../../../server/services/cluster/redis-link'
import { RedisModelLists } from '../../../server/services/cluster/redis-model-lists'
import { ModelCatalog } from '../../../server/services/model-catalog'
import { buildSnapshot } from '../../../server/gateway/routing/snapshot'
import type { StoredConfig } from '../../../server/services/db/config-repo'
import { hashKey } from '../../../server/services/security/hashing'
import { redisAvailable, startRedisServer, type RedisServer } from '../../support/redis-server'

vi.setConfig({ testTimeout: 30_000 })

const cfg: StoredConfig = {
  providers: [
    {
      id: 'oa', type: 'openai', baseUrl: null, keyStrategy: 'round-robin', authHeader: null, authTemplate: null, headers: {}, timeoutMs: 1000, enabled: true, source: 'file', capabilities: null,
      keys: [{ id: 1, name: null, key: 'k-oa', hash: hashKey('k-oa'), hint: 'k', fingerprint: 'f', weight: 1, maxConcurrency: null, enabled: true }],
    },
  ],
  models: [],
  routes: [],
  clientKeys: [],
  defaultProvider: 'oa',
}

describe.skipIf(!redisAvailable)('the providers model lists shared through Redis', () => {
  let redis: RedisServer
  const links: RedisLink[] = []
  const snap = buildSnapshot(cfg, hashKey('admin'))
  /** A catalog on its own Redis connection (one per instance) counting its calls to the provider. */
  const instance = async (id: string, ttlMs = 60_000) => {
    const link = new RedisLink(redis.url, id)
    links.push(link)
    await link.start()
    const calls = { n: 0 }
    const catalog = new ModelCatalog(async () => {
      calls.n++
      return [{ id: `fetched-by-${id}`, created: 7, methods: ['generateContent'] }]
    }, ttlMs, new RedisModelLists(link))
    return { link, catalog, calls }
  }

  beforeAll(async () => {
    redis = await startRedisServer()
  })
  afterAll(async () => {
    for (const l of links) await l.close()
    await redis?.stop()
  })

  it('a list fetched by one instance is served by the others without asking the provider again', async () => {
    const a = await instance('m1')
    const b = await instance('m2')
    expect((await a.catalog.offered(snap)).get('oa')).toEqual([{ id: 'fetched-by-m1', created: 7, methods: ['generateContent'] }])
    expect((await b.catalog.offered(snap)).get('oa')).toEqual([{ id: 'fetched-by-m1', created: 7, methods: ['generateContent'] }])
    expect([a.calls.n, b.calls.n]).toEqual([1, 0])
  })

  it('the shared entry expires with the TTL: then the next instance fetches it itself', async () => {
    const a = await instance('t1', 200)
    await a.link.cmd.flushall() // the entry of the test above (60 s TTL)
    await a.catalog.offered(snap)
    expect(a.calls.n).toBe(1)
    await vi.waitFor(async () => expect(await a.link.cmd.keys('rosetta:models:*')).toHaveLength(0), { timeout: 5000 })
    const b = await instance('t2', 200)
    expect((await b.catalog.offered(snap)).get('oa')).toEqual([{ id: 'fetched-by-t2', created: 7, methods: ['generateContent'] }])
    expect(b.calls.n).toBe(1)
  })

  it('Redis away: the instance fetches and keeps its own list (degraded, never failing)', async () => {
    const a = await instance('d1')
    await redis.kill()
    await vi.waitFor(() => expect(a.link.up).toBe(false))
    expect((await a.catalog.offered(snap)).get('oa')).toEqual([{ id: 'fetched-by-d1', created: 7, methods: ['generateContent'] }])
    expect(a.calls.n).toBe(1)
    await redis.start()
  })
})
