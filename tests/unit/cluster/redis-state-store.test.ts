import { describe, expect, it, vi } from 'vitest'
import { keyStatus, modelRestUntil } from '../../../server/gateway/pool/key-state'
import { circuitStatus } from '../../../server/gateway/pool/circuit'
import { RedisStateStore } from '../../../server/services/cluster/redis-state-store'
import { redisAvailable } from '../../support/redis-server'
import { useRedisLinks } from '../../helpers/redis-links'

// Propagation is asserted by polling (not by a tight clock) so a busy machine does not fail it.
const wait = { timeout: 8000, interval: 20 }
vi.setConfig({ testTimeout: 30_000 })

describe.skipIf(!redisAvailable)('RedisStateStore: instances share rests, disables and circuits', () => {
  const redis = useRedisLinks()
  const store = async (id: string) => {
    const link = redis.link(id)
    const s = new RedisStateStore(link)
    await link.start()
    return { link, s }
  }

  it('a rest, a model rest, a disable and an enable made on one instance reach the other', async () => {
    const a = await store('a')
    const b = await store('b')
    const now = Date.now()
    a.s.restKey('k1', now, 30)
    await vi.waitFor(() => expect(keyStatus(b.s.key('k1'), Date.now())).toBe('resting'), wait)
    expect(b.s.key('k1').restUntil).toBe(now + 30_000)
    expect(b.s.key('k1').restHard).toBe(true)

    b.s.restModel('k2', 'gpt-x', now, 5)
    await vi.waitFor(() => expect(modelRestUntil(a.s.key('k2'), 'gpt-x')).toBe(now + 5000), wait)

    a.s.disableKey('k3', now, 'invalid key (401)')
    await vi.waitFor(() => expect(b.s.key('k3').disabledReason).toBe('invalid key (401)'), wait)
    b.s.enableKey('k3')
    await vi.waitFor(() => expect(keyStatus(a.s.key('k3'), Date.now())).toBe('active'), wait)

    // A success that ends a rest is news too.
    b.s.succeeded('k1', 'p', 'gpt-x', Date.now(), null)
    await vi.waitFor(() => expect(a.s.key('k1').restUntil).toBe(0), wait)
  })

  it('an opened circuit is open on the other instance; providerUp closes it everywhere', async () => {
    const a = await store('c1')
    const b = await store('c2')
    const now = Date.now()
    for (let i = 0; i < 5; i++) a.s.circuitFailed('prov', 'm1', now)
    expect(circuitStatus(a.s.circuit('prov', 'm1'), now)).toBe('open')
    await vi.waitFor(() => expect(circuitStatus(b.s.circuit('prov', 'm1'), Date.now())).toBe('open'), wait)
    b.s.providerUp('prov')
    await vi.waitFor(() => expect(circuitStatus(a.s.circuit('prov', 'm1'), Date.now())).toBe('closed'), wait)
  })

  it('a new instance loads the shared state at its first connection', async () => {
    const a = await store('d1')
    a.s.disableKey('k9', Date.now(), 'billing')
    await vi.waitFor(async () => expect(await a.link.cmd.hexists('rosetta:state:keys', 'k9')).toBe(1), wait)
    const late = await store('d2')
    await vi.waitFor(() => expect(late.s.key('k9').disabledReason).toBe('billing'), wait)
  })

  it('Redis lost: both run on local state (degraded); on return the changes made meanwhile reach the other', async () => {
    const a = await store('e1')
    const b = await store('e2')
    await redis.server.kill()
    await vi.waitFor(() => expect(a.link.up || b.link.up).toBe(false), wait)
    expect(a.link.health()).toMatchObject({ connected: false })
    expect(a.link.health().downSince).not.toBeNull()
    const now = Date.now()
    // Requests keep flowing: changes apply locally without waiting for Redis.
    a.s.restKey('k5', now, 60)
    expect(keyStatus(a.s.key('k5'), now)).toBe('resting')
    expect(keyStatus(b.s.key('k5'), now)).toBe('active')
    await redis.server.start()
    await vi.waitFor(() => expect(a.link.up && b.link.up).toBe(true), wait)
    expect(a.link.health().reconnects).toBeGreaterThanOrEqual(1)
    // b learns it either from a's re-sync publish or from its own re-sync read, whichever comes last.
    await vi.waitFor(async () => {
      await b.s.resync()
      expect(keyStatus(b.s.key('k5'), Date.now())).toBe('resting')
    }, wait)
  })
})
