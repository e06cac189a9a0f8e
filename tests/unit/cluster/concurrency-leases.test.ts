import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { RedisLink } from '../../../server/services/cluster/redis-link'
import { RedisStateStore } from '../../../server/services/cluster/redis-state-store'
import { redisAvailable, startRedisServer, type RedisServer } from '../../support/redis-server'

// Expiry and re-sync are awaited by polling, never by a tight clock: a busy machine does not fail them.
const wait = { timeout: 10_000, interval: 50 }
vi.setConfig({ testTimeout: 40_000 })

describe.skipIf(!redisAvailable)('max-concurrency over the instances: a Redis lease per request', () => {
  let redis: RedisServer
  const stores: RedisStateStore[] = []
  const links: RedisLink[] = []
  /** An instance's state store; leases live `ttlMs` unless renewed every `renewMs`. */
  const instance = async (id: string, ttlMs = 15_000, renewMs = 5_000) => {
    const link = new RedisLink(redis.url, id)
    links.push(link)
    const s = new RedisStateStore(link, undefined, undefined, ttlMs, renewMs)
    stores.push(s)
    await link.start()
    return s
  }
  const count = (keyHash: string) => links[0]!.cmd.zcard(`rosetta:conc:{${keyHash}}`)

  beforeAll(async () => {
    redis = await startRedisServer()
  })
  afterAll(async () => {
    for (const s of stores) {
      s.inFlight.stop()
      s.leases.stop()
    }
    for (const l of links) await l.close()
    await redis?.stop()
  })

  it('three instances claiming at once hold exactly the cap, and a release frees one slot', async () => {
    const all = [await instance('a'), await instance('b'), await instance('c')]
    const claims = await Promise.all(Array.from({ length: 30 }, (_, i) => all[i % 3]!.claim('k1', 4)))
    expect(claims.filter(Boolean)).toHaveLength(4)
    expect(await count('k1')).toBe(4)
    const holder = all.find((s) => s.leases.held('k1') > 0)!
    const other = all.find((s) => s.leases.held('k1') === 0)
    // Releasing on an instance that holds no lease on the key gives back nothing.
    other?.release('k1')
    expect(await all[0]!.claim('k1', 4)).toBe(false)
    holder.release('k1')
    await vi.waitFor(async () => expect(await count('k1')).toBe(3), wait)
    expect(await all[1]!.claim('k1', 4)).toBe(true)
    expect(await all[2]!.claim('k1', 4)).toBe(false)
  })

  it("a killed instance's leases expire, those of a live one are renewed", async () => {
    const live = await instance('live', 1_500, 300)
    const dying = await instance('dying', 1_500, 300)
    expect(await live.claim('k2', 2)).toBe(true)
    expect(await dying.claim('k2', 2)).toBe(true)
    // The dying instance stops renewing (as if killed with its requests in flight).
    dying.leases.stop()
    expect(await live.claim('k2', 2)).toBe(false)
    await vi.waitFor(async () => expect(await live.claim('k2', 2)).toBe(true), wait)
    // Now two live leases: they outlast several TTLs while renewed.
    await new Promise((r) => setTimeout(r, 4_000))
    expect(await count('k2')).toBe(2)
    expect(await dying.claim('k2', 2)).toBe(false)
  })

  it('Redis away: claims are admitted on the local count; back empty: the running requests count again', async () => {
    const a = await instance('x', 15_000, 300)
    const b = await instance('y', 15_000, 300)
    expect(await a.claim('k3', 1)).toBe(true)
    await redis.kill()
    await vi.waitFor(() => expect(links.every((l) => !l.up)).toBe(true), wait)
    // Degraded, not down: admitted without Redis.
    expect(await b.claim('k3', 1)).toBe(true)
    expect(b.leases.fallbacks).toBeGreaterThan(0)
    b.release('k3')
    await redis.start()
    // The lease a holds came back with Redis (renewed into the empty data set): the key is full.
    await vi.waitFor(async () => expect(await count('k3')).toBe(1), wait)
    expect(await b.claim('k3', 1)).toBe(false)
    a.release('k3')
    await vi.waitFor(async () => expect(await b.claim('k3', 1)).toBe(true), wait)
  })
})
