import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Database } from '../../../server/services/db/database'
import { ResponseCacheRepo } from '../../../server/services/db/response-cache-repo'
import { ResponseCache } from '../../../server/services/response-cache'
import type { StoredAnswer } from '../../../server/gateway/response-cache/store'

let db: Database
let repo: ResponseCacheRepo
beforeEach(async () => {
  db = await Database.open(':memory:')
  repo = await ResponseCacheRepo.open(db)
})
afterEach(() => {
  repo.close()
  db.close()
})

const answer = (text: string, model = 'm', costUsd: number | null = 0.01): StoredAnswer => ({
  model,
  costUsd,
  maxTokens: 100,
  response: { id: 'r1', model: 'up', created: 1, parts: [{ type: 'text', text }], finish: { unified: 'stop' }, usage: { inputTokens: 3, outputTokens: 4 } },
})

describe('the DuckDB response-cache store', () => {
  it('stores an answer as IR and gives it back until it expires', async () => {
    const now = Date.now()
    await repo.put('k1', answer('hello'), now + 60_000)
    expect(await repo.get('k1', now)).toEqual(answer('hello'))
    expect(await repo.get('k1', now + 61_000)).toBeUndefined()
    expect(await repo.get('nope', now)).toBeUndefined()
  })

  it('a newer answer under the same key replaces the old one', async () => {
    const now = Date.now()
    await repo.put('k1', answer('old'), now + 60_000)
    await repo.put('k1', answer('new'), now + 60_000)
    expect((await repo.get('k1', now))!.response.parts).toEqual([{ type: 'text', text: 'new' }])
    expect((await repo.totals()).entries).toBe(1)
  })

  it('counts hits and what they saved; prune drops expired entries, then the oldest beyond the size bound', async () => {
    const now = Date.now()
    await repo.put('a', answer('a'), now + 60_000)
    await repo.hit('a')
    await repo.hit('a')
    expect(await repo.totals()).toMatchObject({ entries: 1, hits: 2, savedUsd: 0.02 })
    await repo.put('gone', answer('x'), now - 1)
    await new Promise((r) => setTimeout(r, 5))
    await repo.put('b', answer('b'), now + 60_000)
    const one = (await repo.totals()).bytes / 2
    const left = await repo.prune(now, one)
    expect(left.entries).toBe(1)
    expect(await repo.get('b', now)).toBeDefined()
    expect(await repo.get('a', now)).toBeUndefined()
  })

  it('purges everything or one model', async () => {
    const now = Date.now()
    await repo.put('a', answer('a', 'm1'), now + 60_000)
    await repo.put('b', answer('b', 'm2'), now + 60_000)
    expect(await repo.purge('m1')).toBe(1)
    expect(await repo.purge()).toBe(1)
    expect((await repo.totals()).entries).toBe(0)
  })
})

describe('the response cache service', () => {
  it('counts hits and misses, stores in the background, books saved cost, and stores nothing with a TTL of 0', async () => {
    const cache = await ResponseCache.over(repo, { enabled: true, maxBytes: 1 << 20 })
    expect(await cache.lookup('k')).toBeUndefined()
    cache.store('k', answer('hi'), 60)
    cache.store('zero', answer('no'), 0)
    await cache.settle()
    const hit = await cache.lookup('k')
    expect(hit?.response.parts).toEqual([{ type: 'text', text: 'hi' }])
    cache.served('k', hit!)
    await cache.settle()
    expect(await cache.lookup('zero')).toBeUndefined()
    const s = await cache.stats()
    expect(s.lookups).toEqual({ hits: 1, misses: 2, hitRate: 0.3333 })
    expect(s).toMatchObject({ entries: 1, hits: 1, savedUsd: 0.01, savedUsdSinceBoot: 0.01 })
    expect(await cache.purge()).toBe(1)
    await cache.close()
  })
})
