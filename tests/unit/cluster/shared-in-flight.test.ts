import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { RedisLink } from '../../../server/services/cluster/redis-link'
import { RedisStateStore } from '../../../server/services/cluster/redis-state-store'
import { selectKey } from '../../../server/gateway/pool/select-key'
import type { ProviderRuntime } from '../../../server/gateway/routing/snapshot'
import { redisAvailable, startRedisServer, type RedisServer } from '../../support/redis-server'

// Propagation is asserted by polling (not by a tight clock) so a busy machine does not fail it.
const wait = { timeout: 8000, interval: 20 }
vi.setConfig({ testTimeout: 30_000 })

describe.skipIf(!redisAvailable)('requests in flight per key, summed over the instances', () => {
  let redis: RedisServer
  const stores: RedisStateStore[] = []
  const links: RedisLink[] = []
  /** staleMs short so the Redis-away case needs no long wait; heartbeat shorter still. */
  const store = async (id: string) => {
    const link = new RedisLink(redis.url, id)
    links.push(link)
    const s = new RedisStateStore(link, 600, 100)
    stores.push(s)
    await link.start()
    return { link, s }
  }

  beforeAll(async () => {
    redis = await startRedisServer()
  })
  /** Two instances' stores on the one Redis. */
  const instances = async (x: string, y: string) => [await store(x), await store(y)] as const
  afterAll(async () => {
    for (const s of stores) s.inFlight.stop()
    for (const l of links) await l.close()
    await redis?.stop()
  })

  it('each instance sees the requests the others have in flight on a key, and their ends', async () => {
    const [a, b] = await instances('a', 'b')
    a.s.acquire('k1')
    a.s.acquire('k1')
    await vi.waitFor(() => expect(b.s.key('k1').inFlight).toBe(2), wait)
    b.s.acquire('k1')
    expect(b.s.key('k1').inFlight).toBe(3)
    await vi.waitFor(() => expect(a.s.key('k1').inFlight).toBe(3), wait)
    a.s.release('k1')
    a.s.release('k1')
    await vi.waitFor(() => expect(b.s.key('k1').inFlight).toBe(1), wait)
    // Only this instance's own requests count in its request counter.
    expect([a.s.key('k1').requests, b.s.key('k1').requests]).toEqual([2, 1])
    b.s.release('k1')
    await vi.waitFor(() => expect(a.s.key('k1').inFlight).toBe(0), wait)
  })

  it('max-concurrency holds across instances: a key full through another instance is not selected', async () => {
    const [a, b] = await instances('c', 'd')
    const keys = [{ hash: 'full', maxConcurrency: 2, weight: 1 }, { hash: 'free', maxConcurrency: 2, weight: 1 }]
    a.s.acquire('full')
    a.s.acquire('full')
    await vi.waitFor(() => expect(b.s.key('full').inFlight).toBe(2), wait)
    expect(selectKeyHash(b.s, keys)).toBe('free')
  })

  it('Redis away: the other instances\' counts are dropped after the stale time, each instance limits on its own', async () => {
    const [a, b] = await instances('e', 'f')
    a.s.acquire('k3')
    b.s.acquire('k3')
    await vi.waitFor(() => expect(b.s.key('k3').inFlight).toBe(2), wait)
    await redis.kill()
    await vi.waitFor(() => expect(b.s.key('k3').inFlight).toBe(1), wait)
    await redis.start()
    // Back: the heartbeat carries a's count again.
    await vi.waitFor(() => expect(b.s.key('k3').inFlight).toBe(2), { timeout: 10_000, interval: 50 })
  })
})

/** Fill-first over the two keys: the first one ('full') is taken unless it is at its cap. */
function selectKeyHash(s: RedisStateStore, keys: Array<{ hash: string; maxConcurrency: number; weight: number }>): string | undefined {
  const pool = { keys: keys.map((k, i) => ({ ...k, id: i + 1 })), keyStrategy: 'fill-first', cursor: 0 } as unknown as ProviderRuntime
  return selectKey(pool, s, new Set(), Date.now(), 'm')?.hash
}
