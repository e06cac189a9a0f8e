import { describe, expect, it } from 'vitest'
import { admitClient as admitWithAsk } from '../../../server/gateway/limits/admit'
import { MemoryUsageStore } from '../../../server/gateway/limits/memory-usage-store'
import { limitsOf } from '../../../server/gateway/limits/client-limits'
import type { Ticket } from '../../../server/gateway/limits/reservation'
import { GatewayError } from '../../../server/gateway/errors'
import type { Identity } from '../../../server/gateway/routing/snapshot'

const T0 = Date.UTC(2025, 5, 10, 12, 0, 0)
const who = (limits: Identity['limits']): Identity => ({ kind: 'client', name: 'ci', limits })
/** Admission with a zero estimate, settled at once with nothing used: only the refusal (or undefined) is returned. */
const admitClient = (s: MemoryUsageStore, w: Identity, now: number): GatewayError | undefined => {
  const r = admitWithAsk(s, w, () => ({ tokens: 0, usd: 0 }), now)
  if (GatewayError.is(r)) return r
  if (r) s.settle(r, { tokens: 0, usd: 0 }, now)
  return undefined
}
/** Books a finished request's real usage, as the proxy does when an answer ends. */
const book = (s: MemoryUsageStore, tokens: number, usd = 0, now = Date.now()) => {
  const t = admitWithAsk(s, who(undefined), () => ({ tokens: 0, usd: 0 }), now) as Ticket
  s.settle(t, { tokens, usd }, now)
}

describe('client-key admission', () => {
  it('is free (and permissive) for keys without limits', () => {
    const s = new MemoryUsageStore()
    for (let i = 0; i < 1000; i++) expect(admitClient(s, { kind: 'client', name: 'x' }, T0)).toBeUndefined()
    expect(s.usage('x').requests).toBe(1000)
  })

  it('stops at exactly rpm requests per minute, says which limit and when to retry', () => {
    const s = new MemoryUsageStore()
    const w = who({ rpm: 3 })
    expect(admitClient(s, w, T0)).toBeUndefined()
    expect(admitClient(s, w, T0 + 10_000)).toBeUndefined()
    expect(admitClient(s, w, T0 + 20_000)).toBeUndefined()
    const e = admitClient(s, w, T0 + 30_000)!
    expect(e.kind).toBe('rate_limit')
    expect(e.status).toBe(429)
    expect(e.message).toContain('3 requests per minute')
    expect(e.retryAfter).toBe(30) // the first request leaves the window 60 s after it was made
    expect(admitClient(s, w, T0 + 60_500)).toBeUndefined() // the first one has left the window
  })

  it('stops after tpm tokens were used within a minute', () => {
    const s = new MemoryUsageStore()
    const w = who({ tpm: 100 })
    const now = Date.now()
    expect(admitClient(s, w, now)).toBeUndefined()
    book(s, 100, 0, now)
    const e = admitClient(s, w, now)!
    expect(e.message).toContain('100 tokens per minute')
  })

  it('enforces daily and monthly token and USD budgets, resetting at the UTC day boundary', () => {
    const s = new MemoryUsageStore()
    const now = Date.now()
    book(s, 500, 0.25, now)
    expect(admitClient(s, who({ dayTokens: 501 }), now)).toBeUndefined()
    const day = admitClient(s, who({ dayTokens: 500 }), now)!
    expect(day.kind).toBe('quota')
    expect(day.message).toMatch(/daily token budget.*500 tokens per day.*used 500/)
    expect(day.retryAfter).toBeGreaterThan(0)
    expect(day.retryAfter).toBeLessThanOrEqual(86_400)
    expect(admitClient(s, who({ dayUsd: 0.25 }), now)!.message).toContain('daily cost budget')
    expect(admitClient(s, who({ monthTokens: 400 }), now)!.message).toContain('monthly token budget')
    expect(admitClient(s, who({ monthUsd: 0.2 }), now)!.message).toContain('monthly cost budget')
    // Tomorrow the day budget is fresh, the month's is not (unless tomorrow is a new month).
    const tomorrow = now + 86_400_000
    expect(admitClient(s, who({ dayTokens: 500 }), tomorrow)).toBeUndefined()
  })

  it('refuses an expired key as an authentication error', () => {
    const e = admitClient(new MemoryUsageStore(), who({ expiresAt: T0 - 1 }), T0)!
    expect(e.kind).toBe('authentication')
    expect(e.message).toContain('expired')
  })

  it('compiles limits from a stored row, and none when the row has none', () => {
    expect(limitsOf({ rpm: null, tpm: null, expires_at: null })).toBeUndefined()
    expect(limitsOf({ rpm: 5, day_usd: 1.5, expires_at: '2030-01-01 00:00:00' })).toEqual({ rpm: 5, dayUsd: 1.5, expiresAt: Date.UTC(2030, 0, 1) })
  })
})
