import { describe, expect, it } from 'vitest'
import { PassiveProviderHealth } from '../../../server/services/ops/provider-health'
import { answeredByFallback, entry, provider } from './fakes'

describe('PassiveProviderHealth', () => {
  const providers = [provider('p1'), provider('p2'), provider('off', { enabled: false })]

  it('goes from unknown to down to up as outcomes arrive', () => {
    const h = new PassiveProviderHealth()
    expect(h.report(providers).map((r) => r.status)).toEqual(['unknown', 'unknown', 'disabled'])
    h.push(entry({ status: 502, errorKind: 'connection', errorMessage: 'refused' }))
    const down = h.report(providers)[0]!
    expect(down).toMatchObject({ status: 'down', lastStatus: 502, lastError: { kind: 'connection', message: 'refused' }, source: 'passive' })
    h.push(entry({ latencyMs: 80 }))
    const up = h.report(providers)[0]!
    // One success out of two is a poor record: answering, but degraded until the window fills with successes.
    expect(up.status).toBe('degraded')
    for (let i = 0; i < 20; i++) h.push(entry({ latencyMs: 80 }))
    expect(h.report(providers)[0]).toMatchObject({ status: 'up', window: { requests: 22, failures: 1 }, latencyMs: { p50: 80 } })
  })

  it('client mistakes do not make a provider look down', () => {
    const h = new PassiveProviderHealth()
    h.push(entry({ status: 400, errorKind: 'invalid_request' }))
    expect(h.report(providers)[0]!.status).toBe('up')
  })

  it('counts every attempt, including ones a fallback hid', () => {
    const h = new PassiveProviderHealth()
    h.push(
      answeredByFallback(),
    )
    const [p1, p2] = h.report(providers)
    expect(p1).toMatchObject({ status: 'down', lastError: { kind: 'upstream_error' } })
    expect(p2).toMatchObject({ status: 'up' })
  })

  it('entries that never reached a provider are ignored', () => {
    const h = new PassiveProviderHealth()
    h.push(entry({ providerId: null, status: 401, errorKind: 'authentication' }))
    expect(h.report(providers)[0]!.status).toBe('unknown')
  })
})
