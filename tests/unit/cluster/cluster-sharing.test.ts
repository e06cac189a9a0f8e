import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { Cluster } from '../../../server/services/cluster/cluster'
import { JobLease } from '../../../server/services/cluster/job-lease'
import { RedisLink } from '../../../server/services/cluster/redis-link'
import { LoginGuard } from '../../../server/services/security/login-guard'
import type { SecurityState } from '../../../server/services/security/security-state'
import { SignatureCache } from '../../../server/gateway/signature-cache'
import type { IRPart } from '../../../server/gateway/ir'
import { resolveInstanceId } from '../../../server/services/cluster/instance-id'
import { redisAvailable, startRedisServer, type RedisServer } from '../../support/redis-server'

vi.setConfig({ testTimeout: 30_000 })
const wait = { timeout: 8000, interval: 20 }

/** The parts of SecurityState the cluster touches, counting reloads. */
function fakeSecurity() {
  const loads = { sessions: 0, tokens: 0 }
  const sec = {
    loginGuard: new LoginGuard(),
    adminAuthGuard: new LoginGuard(),
    clientKeyGuard: new LoginGuard(30),
    onChange: undefined as ((what: 'sessions' | 'tokens') => void) | undefined,
    loadSessions: () => Promise.resolve(void loads.sessions++),
    loadTokens: () => Promise.resolve(void loads.tokens++),
  }
  return { sec, loads, asState: sec as unknown as SecurityState }
}

describe('instance id', () => {
  it('is NUXT_INSTANCE_ID when set, else hostname:pid', () => {
    expect(resolveInstanceId(' edge-1 ')).toBe('edge-1')
    expect(resolveInstanceId('')).toMatch(new RegExp(`^.+:${process.pid}$`))
  })
})

describe.skipIf(!redisAvailable)('cluster sharing over one Redis', () => {
  let redis: RedisServer
  const closers: Array<() => Promise<void>> = []
  beforeAll(async () => {
    redis = await startRedisServer()
  })
  afterAll(async () => {
    for (const c of closers) await c()
    await redis?.stop()
  })
  const cluster = async (id: string) => {
    const c = new Cluster({ redisUrl: redis.url, instanceId: id })
    closers.push(() => c.close())
    return c
  }

  it('one instance holds the jobs lease; when it stops another takes it', async () => {
    const links = ['j1', 'j2'].map((id) => new RedisLink(redis.url, id))
    for (const l of links) {
      closers.push(() => l.close())
      await l.start()
    }
    const [a, b] = links.map((l) => new JobLease(l, 3000))
    expect(await a!.tryHold()).toBe(true)
    expect(await b!.tryHold()).toBe(false)
    expect(a!.holds()).toBe(true)
    expect(b!.holds()).toBe(false)
    // Renewal keeps it with its holder.
    expect(await a!.tryHold()).toBe(true)
    await a!.stop()
    expect(await b!.tryHold()).toBe(true)
    expect(await a!.tryHold()).toBe(false)
  })

  it('a configuration change, a session change and wrong logins reach the other instance', async () => {
    const a = await cluster('s1')
    const b = await cluster('s2')
    const fa = fakeSecurity()
    const fb = fakeSecurity()
    a.shareSecurity(fa.asState)
    b.shareSecurity(fb.asState)
    let reloads = 0
    b.onConfigChanged(() => Promise.resolve(void reloads++))
    let pluginReloads = 0
    b.onPluginsReloaded(() => Promise.resolve(void pluginReloads++))
    await a.connect()
    await b.connect()
    const base = { sessions: fb.loads.sessions, reloads, pluginReloads }

    a.configChanged()
    await vi.waitFor(() => expect(reloads).toBe(base.reloads + 1), wait)
    expect(pluginReloads).toBe(base.pluginReloads)

    // A rosetta.yaml reload on one instance: the other loads its plugins again (a plain config write does not).
    a.pluginsReloaded()
    await vi.waitFor(() => expect(pluginReloads).toBe(base.pluginReloads + 1), wait)
    expect(reloads).toBe(base.reloads + 1)

    fa.sec.onChange?.('sessions')
    await vi.waitFor(() => expect(fb.loads.sessions).toBe(base.sessions + 1), wait)

    // Five wrong logins spread over two instances block the address on both (the guard allows 5 a minute).
    const now = Date.now()
    for (let i = 0; i < 3; i++) fa.sec.loginGuard.fail('10.0.0.9', now + i)
    for (let i = 3; i < 5; i++) fb.sec.loginGuard.fail('10.0.0.9', now + i)
    await vi.waitFor(() => {
      expect(fa.sec.loginGuard.blockedFor('10.0.0.9', now + 10)).toBeGreaterThan(0)
      expect(fb.sec.loginGuard.blockedFor('10.0.0.9', now + 10)).toBeGreaterThan(0)
    }, wait)
    // A success on one clears it on the other.
    fb.sec.loginGuard.succeed('10.0.0.9')
    await vi.waitFor(() => expect(fa.sec.loginGuard.blockedFor('10.0.0.9', now + 10)).toBe(0), wait)
  })

  it('a tool-call signature remembered on one instance is given back on another', async () => {
    const a = await cluster('g1')
    const b = await cluster('g2')
    const ca = new SignatureCache()
    const cb = new SignatureCache()
    a.shareSignatures(ca)
    b.shareSignatures(cb)
    await a.connect()
    await b.connect()
    ca.put('call_1', { origin: 'gemini', value: 'c2lnbmF0dXJl' })
    await vi.waitFor(() => {
      const parts: IRPart[] = [{ type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}' }]
      const msgs = [{ parts }]
      cb.restore(msgs)
      expect((msgs[0]!.parts[0] as { signature?: unknown }).signature).toEqual({ origin: 'gemini', value: 'c2lnbmF0dXJl' })
    }, wait)
  })

  it('health: degraded while Redis is away, back with a reconnect counted', async () => {
    const a = await cluster('h1')
    await a.connect()
    expect(a.degraded).toBe(false)
    // Another cluster of this file may hold the jobs lease: runsJobs is not asserted while connected.
    expect(a.health()).toMatchObject({ instance: 'h1', redis: { configured: true, connected: true } })
    await redis.kill()
    await vi.waitFor(() => expect(a.degraded).toBe(true), wait)
    // Degraded: every instance runs its jobs rather than none.
    expect(a.health()).toMatchObject({ redis: { connected: false }, runsJobs: true })
    await redis.start()
    await vi.waitFor(() => expect(a.degraded).toBe(false), wait)
    expect((a.health().redis as { reconnects: number }).reconnects).toBeGreaterThanOrEqual(1)
  })

  it('booted while Redis is away: runs degraded, connects and loads the shared state when Redis appears', async () => {
    const a = await cluster('b1')
    const store = a.stateStore()
    await a.connect()
    store.disableKey('kb', Date.now(), 'revoked')
    await redis.kill()
    const late = await cluster('b2')
    const lateStore = late.stateStore()
    await late.connect()
    expect(late.degraded).toBe(true)
    expect(lateStore.key('kb').disabledReason).toBeNull()
    await redis.start()
    // Redis came back empty: a's re-sync writes and publishes its records again; b2 reads them at its first connection or hears them.
    await vi.waitFor(() => {
      expect(late.degraded).toBe(false)
      expect(lateStore.key('kb').disabledReason).toBe('revoked')
    }, wait)
    // And it hears what happens next (subscribed although the boot found Redis away). The subscriber
    // reconnects on its own schedule (up to 1 s apart, longer on a loaded machine): wait for it.
    await vi.waitFor(() => expect(late.link!.subscribed).toBe(true), { timeout: 20_000, interval: 50 })
    const heard: string[] = []
    late.link!.on('key', (m) => heard.push(String(m.from)))
    store.restKey('kc', Date.now(), 30)
    await vi.waitFor(() => expect(heard).toContain('b1'), wait)
    expect(lateStore.key('kc').restUntil).toBeGreaterThan(Date.now())
  }, 60_000)

  it('without NUXT_REDIS_URL nothing is shared and nothing is degraded', () => {
    const c = new Cluster({ redisUrl: '', instanceId: 'solo' })
    expect(c.link).toBeNull()
    expect(c.degraded).toBe(false)
    expect(c.health()).toEqual({ instance: 'solo', redis: { configured: false }, runsJobs: true, localAdmissions: 0 })
  })
})
