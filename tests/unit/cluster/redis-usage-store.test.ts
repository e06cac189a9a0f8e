import { describe, expect, it, vi } from 'vitest'
import { RedisUsageStore } from '../../../server/services/cluster/redis-usage-store'
import { isRefusal, type Refusal, type Ticket } from '../../../server/gateway/limits/reservation'
import type { ClientLimits } from '../../../server/gateway/limits/client-limits'
import { redisAvailable } from '../../support/redis-server'
import { useRedisLinks } from '../../helpers/redis-links'

vi.setConfig({ testTimeout: 30_000 })

describe.skipIf(!redisAvailable)('RedisUsageStore: client-key limits shared and atomic across instances', () => {
  const redis = useRedisLinks()
  const stores = async (n: number, prefix: string) => {
    const out: RedisUsageStore[] = []
    for (let i = 0; i < n; i++) {
      const link = redis.link(`${prefix}${i}`)
      await link.start()
      out.push(new RedisUsageStore(link))
    }
    return out
  }
  /** M requests at once, spread round-robin over the stores. */
  const burst = async (ss: RedisUsageStore[], name: string, l: ClientLimits, m: number, ask = { tokens: 0, usd: 0 }) =>
    Promise.all(Array.from({ length: m }, (_, i) => Promise.resolve(ss[i % ss.length]!.reserve(name, l, ask, Date.now()))))

  it('rpm 10: exactly 10 of 30 concurrent requests over 3 instances are admitted; the rest get the rpm refusal', async () => {
    const ss = await stores(3, 'r')
    const rs = await burst(ss, 'team-a', { rpm: 10 }, 30)
    expect(rs.filter((r) => !isRefusal(r))).toHaveLength(10)
    const refused = rs.filter(isRefusal)
    expect(refused).toHaveLength(20)
    expect(refused[0]).toMatchObject({ limit: 'rpm', max: 10, used: 10 })
    expect(refused[0]!.retryAfter).toBeGreaterThanOrEqual(1)
    // Every instance admitted some (the load really was spread) and counts what it did locally.
    const local = ss.map((s) => s.usage('team-a').requests)
    expect(local.reduce((a, b) => a + b, 0)).toBe(10)
  })

  it('a day token budget is shared: holds of requests in flight count, settled usage books to the day', async () => {
    const ss = await stores(3, 'd')
    // 300 tokens reserved each against 1,000: 0, 300, 600, 900 < 1,000 → exactly 4 of 20 admitted.
    const rs = await burst(ss, 'team-b', { dayTokens: 1000 }, 20, { tokens: 300, usd: 0 })
    const tickets = rs.filter((r): r is Ticket => !isRefusal(r))
    expect(tickets).toHaveLength(4)
    expect((rs.find(isRefusal) as Refusal).limit).toBe('dayTokens')
    // They end having used 100 tokens each: the holds go, 400 tokens are booked for the day.
    tickets.forEach((t, i) => ss[i % 3]!.settle(t, { tokens: 100, usd: 0.5 }, Date.now()))
    await vi.waitFor(async () => {
      const r = await ss[0]!.reserve('team-b', { dayTokens: 1000, dayUsd: 2.1 }, { tokens: 0, usd: 0 }, Date.now())
      expect(isRefusal(r)).toBe(false)
      expect(ss[0]!.usage('team-b').dayTokens).toBe(400)
      expect(ss[0]!.usage('team-b').dayUsd).toBeCloseTo(2, 6)
    })
    // $2 spent of $2: the next one is refused, on any instance.
    const r = (await ss[2]!.reserve('team-b', { dayUsd: 2 }, { tokens: 0, usd: 0 }, Date.now())) as Refusal
    expect(r).toMatchObject({ limit: 'dayUsd', max: 2 })
    expect(r.used).toBeCloseTo(2, 6)
  })

  it('tpm: tokens settled by one instance count on another within the minute', async () => {
    const [a, b] = await stores(2, 't')
    const t = (await a!.reserve('team-c', { tpm: 500 }, { tokens: 10, usd: 0 }, Date.now())) as Ticket
    a!.settle(t, { tokens: 600, usd: 0 }, Date.now())
    await vi.waitFor(async () => {
      const r = await b!.reserve('team-c', { tpm: 500 }, { tokens: 10, usd: 0 }, Date.now())
      expect(r).toMatchObject({ limit: 'tpm', used: 600 })
    })
  })

  it('Redis away: admission goes on locally (never refused for the outage); usage settled meanwhile reaches Redis on return', async () => {
    const [a, b] = await stores(2, 'o')
    await redis.server.kill()
    await vi.waitFor(() => expect(redis.links.find((l) => l.instanceId === 'o0')!.up).toBe(false))
    const r = a!.reserve('team-d', { rpm: 2, dayTokens: 100 }, { tokens: 1, usd: 0 }, Date.now())
    expect(r).not.toBeInstanceOf(Promise)
    expect(isRefusal(r as Ticket | Refusal)).toBe(false)
    expect(a!.fallbacks).toBe(1)
    a!.settle(r as Ticket, { tokens: 80, usd: 0 }, Date.now())
    await redis.server.start()
    const linkA = redis.links.find((l) => l.instanceId === 'o0')!
    await vi.waitFor(() => expect(linkA.up).toBe(true), { timeout: 8000 })
    await a!.flushPending()
    const seen = await b!.reserve('team-d', { dayTokens: 100 }, { tokens: 30, usd: 0 }, Date.now())
    expect(isRefusal(seen)).toBe(false)
    expect(b!.usage('team-d').dayTokens).toBe(80)
    expect(await b!.reserve('team-d', { dayTokens: 100 }, { tokens: 30, usd: 0 }, Date.now())).toMatchObject({ limit: 'dayTokens', used: 80, held: 30 })
  })

  it('Redis restarted empty: day budgets come back from the request log (the reseed), not from zero, and what was settled meanwhile is not counted twice', async () => {
    const [a] = await stores(1, 'e')
    const link = redis.links.find((l) => l.instanceId === 'e0')!
    // Stands in for SecurityState.seedUsage: the request log says 500 tokens today (the 80 below included).
    let reseeds = 0
    a!.reseed = async () => {
      reseeds++
      await a!.seed('team-e', { dayTokens: 500, dayUsd: 0, monthTokens: 500, monthUsd: 0 }, Date.now())
    }
    await a!.resync()
    expect(reseeds).toBe(0)
    await redis.server.kill()
    await vi.waitFor(() => expect(link.up).toBe(false))
    const t = a!.reserve('team-e', { dayTokens: 10_000 }, { tokens: 1, usd: 0 }, Date.now()) as Ticket
    a!.settle(t, { tokens: 80, usd: 0 }, Date.now())
    await redis.server.start()
    await vi.waitFor(() => expect(link.up).toBe(true), { timeout: 8000 })
    await a!.resync()
    expect(reseeds).toBe(1)
    // 500 from the log; the 80 settled during the outage is in it already, so not booked again.
    expect(await a!.reserve('team-e', { dayTokens: 500 }, { tokens: 0, usd: 0 }, Date.now())).toMatchObject({ limit: 'dayTokens', used: 500 })
    // Redis kept its data since: a further reconnect books pending usage instead of seeding again.
    await a!.resync()
    expect(reseeds).toBe(1)
  })

  it('Redis restarted empty: the rpm and tpm windows of the last minute come back from what each instance counted', async () => {
    const [a, b] = await stores(2, 'w')
    const la = redis.links.find((l) => l.instanceId === 'w0')!
    const lb = redis.links.find((l) => l.instanceId === 'w1')!
    await a!.resync()
    await b!.resync()
    // 2 requests through each instance (rpm 6), and 50 tokens settled through a (tpm 100).
    const ts = (await burst([a!, b!], 'team-w', { rpm: 6, tpm: 100 }, 4)) as Ticket[]
    expect(ts.every((t) => !isRefusal(t))).toBe(true)
    a!.settle(ts[0]!, { tokens: 50, usd: 0 }, Date.now())
    for (const t of ts.slice(1)) (ts.indexOf(t) % 2 === 0 ? a : b)!.settle(t, { tokens: 0, usd: 0 }, Date.now())
    await vi.waitFor(async () => expect(Number(await la.cmd.hlen('rosetta:u:{team-w}:tok'))).toBeGreaterThan(0))
    await redis.server.kill()
    await redis.server.start()
    await vi.waitFor(() => expect(la.up && lb.up).toBe(true), { timeout: 8000 })
    // Each instance, on its reconnection, finds a generation it has not seen (the cluster wiring calls resync from onUp).
    await a!.resync()
    await b!.resync()
    // The minute goes on: 4 of 6 used, so 2 of 6 more are admitted; the 50 tokens still count (a tpm of 50 is spent).
    const after = await burst([a!, b!], 'team-w', { rpm: 6 }, 6)
    expect(after.filter((r) => !isRefusal(r))).toHaveLength(2)
    expect(await b!.reserve('team-w', { tpm: 50 }, { tokens: 1, usd: 0 }, Date.now())).toMatchObject({ limit: 'tpm', used: 50 })
  })

  it('requests admitted while Redis was away join the shared rpm window when it answers (its data kept)', async () => {
    const [b] = await stores(1, 'k')
    // Instance a booted with Redis unreachable: its link is not connected yet.
    const la = redis.link('k-away')
    const a = new RedisUsageStore(la)
    for (let i = 0; i < 3; i++) expect(isRefusal(a.reserve('team-k', { rpm: 5 }, { tokens: 0, usd: 0 }, Date.now()) as Ticket | Refusal)).toBe(false)
    expect(a.fallbacks).toBe(3)
    await la.start()
    await a.resync()
    // 3 of 5 are used: two more over both instances, not five.
    const more = await burst([a, b!], 'team-k', { rpm: 5 }, 6)
    expect(more.filter((r) => !isRefusal(r))).toHaveLength(2)
  })
})
