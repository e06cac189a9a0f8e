import { describe, expect, it } from 'vitest'
import { MemoryUsageStore } from '../../../server/gateway/limits/memory-usage-store'
import { isRefusal, type Ticket } from '../../../server/gateway/limits/reservation'
import { admitClient } from '../../../server/gateway/limits/admit'
import { BODY_BYTES_PER_TOKEN, DEFAULT_OUTPUT_TOKENS, estimateAsk, outputLimitOf } from '../../../server/gateway/limits/reservation-estimate'
import type { ClientLimits } from '../../../server/gateway/limits/client-limits'
import type { GatewayError } from '../../../server/gateway/errors'
import { PriceBook } from '../../../server/gateway/pricing'
import type { Door } from '../../../server/gateway/door'

const T0 = Date.UTC(2025, 5, 10, 12, 0, 0)

describe('reservations', () => {
  it('count what requests in flight hold: 50 parallel asks of 300 against 1,000 tokens admit 4', () => {
    const s = new MemoryUsageStore()
    const results = Array.from({ length: 50 }, () => s.reserve('k', { dayTokens: 1000 }, { tokens: 300, usd: 0 }, T0))
    const tickets = results.filter((r): r is Ticket => !isRefusal(r))
    expect(tickets).toHaveLength(4) // held 0, 300, 600, 900 < 1000 when each was admitted
    expect(s.usage('k')).toMatchObject({ heldTokens: 1200, inFlight: 4, dayTokens: 0 })
    const no = results.find(isRefusal)!
    expect(no).toMatchObject({ limit: 'dayTokens', max: 1000, used: 0, held: 1200, retryAfter: 1 })
  })

  it('counts refused requests apart from admitted ones (rpm and budgets alike)', () => {
    const s = new MemoryUsageStore()
    for (let i = 0; i < 5; i++) s.reserve('k', { rpm: 3 }, { tokens: 0, usd: 0 }, T0)
    expect(s.usage('k')).toMatchObject({ requests: 3, refused: 2 })
    const b = new MemoryUsageStore()
    for (let i = 0; i < 50; i++) b.reserve('k', { dayTokens: 1000 }, { tokens: 300, usd: 0 }, T0)
    expect(b.usage('k')).toMatchObject({ requests: 4, refused: 46 })
  })

  it('settle releases the hold and books the real usage, exactly once', () => {
    const s = new MemoryUsageStore()
    const t = s.reserve('k', { dayTokens: 1000, dayUsd: 1 }, { tokens: 300, usd: 0.3 }, T0) as Ticket
    s.settle(t, { tokens: 120, usd: 0.12 }, T0 + 5)
    s.settle(t, { tokens: 120, usd: 0.12 }, T0 + 6) // a second settle of the same ticket changes nothing
    expect(s.usage('k')).toMatchObject({ heldTokens: 0, heldUsd: 0, inFlight: 0, dayTokens: 120, monthTokens: 120, tokens: 120, requests: 1 })
    expect(s.usage('k').dayUsd).toBeCloseTo(0.12, 10)
    expect(t.open).toBe(false)
  })

  it('a failed or cancelled request (nothing used) gives its whole hold back', () => {
    const s = new MemoryUsageStore()
    const a = s.reserve('k', { tpm: 500 }, { tokens: 400, usd: 0 }, T0) as Ticket
    const b = s.reserve('k', { tpm: 500 }, { tokens: 400, usd: 0 }, T0) as Ticket
    expect(isRefusal(s.reserve('k', { tpm: 500 }, { tokens: 400, usd: 0 }, T0))).toBe(true)
    s.settle(a, { tokens: 0, usd: 0 }, T0)
    expect(s.usage('k').heldTokens).toBe(400)
    s.settle(b, { tokens: 0, usd: 0 }, T0)
    expect(isRefusal(s.reserve('k', { tpm: 500 }, { tokens: 400, usd: 0 }, T0))).toBe(false)
  })

  it('let one request larger than the whole budget through when nothing is used or held', () => {
    const s = new MemoryUsageStore()
    expect(isRefusal(s.reserve('k', { tpm: 100 }, { tokens: 32_000, usd: 0 }, T0))).toBe(false)
    expect(isRefusal(s.reserve('k', { tpm: 100 }, { tokens: 1, usd: 0 }, T0))).toBe(true)
  })

  // Random interleavings of 50 requests (admit, later settle with a real usage at most the estimate):
  // what is booked never passes the budget by more than one reservation.
  const kinds: [keyof ClientLimits, number, (ask: number) => { tokens: number; usd: number }, (s: MemoryUsageStore) => number][] = [
    ['tpm', 2000, (n) => ({ tokens: n, usd: 0 }), (s) => s.usage('k').tokens],
    ['dayTokens', 2000, (n) => ({ tokens: n, usd: 0 }), (s) => s.usage('k').dayTokens],
    ['monthTokens', 2000, (n) => ({ tokens: n, usd: 0 }), (s) => s.usage('k').monthTokens],
    ['dayUsd', 2, (n) => ({ tokens: 0, usd: n / 1000 }), (s) => s.usage('k').dayUsd * 1000],
    ['monthUsd', 2, (n) => ({ tokens: 0, usd: n / 1000 }), (s) => s.usage('k').monthUsd * 1000],
  ]
  for (const [kind, max, unit, booked] of kinds) {
    it(`${kind}: 50 requests in random order stay within the budget plus one reservation`, () => {
      let seed = 42
      const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff)
      for (let round = 0; round < 20; round++) {
        const s = new MemoryUsageStore()
        const limits = { [kind]: max } as ClientLimits
        const open: { t: Ticket; real: number }[] = []
        let biggest = 0
        for (let i = 0; i < 50; i++) {
          const ask = 100 + Math.floor(rand() * 400)
          const r = s.reserve('k', limits, unit(ask), T0)
          if (!isRefusal(r)) {
            biggest = Math.max(biggest, ask)
            open.push({ t: r, real: Math.floor(ask * rand()) })
          }
          // Now and then some requests end (in any order).
          while (open.length && rand() < 0.3) {
            const [done] = open.splice(Math.floor(rand() * open.length), 1)
            s.settle(done!.t, unit(done!.real), T0)
          }
        }
        for (const o of open) s.settle(o.t, unit(o.real), T0)
        const budget = kind.endsWith('Usd') ? max * 1000 : max
        expect(booked(s)).toBeLessThanOrEqual(budget + biggest + 1e-6)
        expect(s.usage('k')).toMatchObject({ heldTokens: 0, heldUsd: 0, inFlight: 0 })
      }
    })
  }
})

describe('admission', () => {
  const client = (limits?: ClientLimits) => ({ kind: 'client' as const, name: 'k', limits })

  it('estimates only for keys with a token or USD limit; the admin key gets no ticket', () => {
    const s = new MemoryUsageStore()
    let asked = 0
    const ask = () => (asked++, { tokens: 10, usd: 0 })
    expect(admitClient(s, { kind: 'admin', name: 'admin' }, ask, T0)).toBeUndefined()
    const free = admitClient(s, client(), ask, T0) as Ticket
    expect(free).toMatchObject({ tokens: 0, open: true })
    expect(admitClient(s, client({ rpm: 10 }), ask, T0)).toMatchObject({ tokens: 0 })
    expect(asked).toBe(0)
    expect(admitClient(s, client({ monthUsd: 5 }), ask, T0)).toMatchObject({ tokens: 10 })
    expect(asked).toBe(1)
  })

  it('says which limit, what was used and what is in flight; in-flight holds are a rate limit, a spent budget a quota', () => {
    const s = new MemoryUsageStore()
    const l = { dayTokens: 500 }
    const t = admitClient(s, client(l), () => ({ tokens: 600, usd: 0 }), T0) as Ticket
    const busy = admitClient(s, client(l), () => ({ tokens: 1, usd: 0 }), T0) as GatewayError
    expect(busy.kind).toBe('rate_limit')
    expect(busy.message).toBe("daily token budget reached: API key 'k' may use 500 tokens per day (UTC); used 0 (+600 reserved by requests in flight)")
    expect(busy.retryAfter).toBe(1)
    s.settle(t, { tokens: 520, usd: 0 }, T0)
    const spent = admitClient(s, client(l), () => ({ tokens: 1, usd: 0 }), T0) as GatewayError
    expect(spent.kind).toBe('quota')
    expect(spent.message).toBe("daily token budget spent: API key 'k' may use 500 tokens per day (UTC); used 520")
    expect(spent.retryAfter).toBe(12 * 3600) // T0 is noon UTC
  })
})

describe('the reservation estimate', () => {
  const door = (dialect: Door['dialect'], op?: Door['op']): Door => ({ dialect, op })

  it('reads the output limit each dialect sets, thinking budgets included', () => {
    expect(outputLimitOf(door('openai-chat'), { max_tokens: 100 })).toBe(100)
    expect(outputLimitOf(door('openai-chat'), { max_tokens: 100, max_completion_tokens: 300 })).toBe(300)
    expect(outputLimitOf(door('openai-responses'), { max_output_tokens: 77 })).toBe(77)
    expect(outputLimitOf(door('anthropic'), { max_tokens: 64 })).toBe(64)
    expect(outputLimitOf(door('gemini'), { generationConfig: { maxOutputTokens: 50, thinkingConfig: { thinkingBudget: 200 } } })).toBe(250)
    expect(outputLimitOf(door('openai-chat'), { max_tokens: 'lots' })).toBeUndefined()
    expect(outputLimitOf(door('gemini'), {})).toBeUndefined()
  })

  it('is body bytes / 3 plus the output limit (or the default), priced at the dearest model the request may reach', () => {
    const prices = new PriceBook([
      { pattern: 'cheap', inputPerM: 1, outputPerM: 2, cacheReadPerM: null, cacheWritePerM: null },
      { pattern: 'dear', inputPerM: 10, outputPerM: 30, cacheReadPerM: null, cacheWritePerM: null },
    ])
    const a = estimateAsk(door('openai-chat'), { max_tokens: 1000 }, 3000, ['cheap', 'dear', 'unpriced'], prices)
    expect(a.tokens).toBe(3000 / BODY_BYTES_PER_TOKEN + 1000)
    expect(a.usd).toBeCloseTo((1000 * 10 + 1000 * 30) / 1e6, 12)
    expect(estimateAsk(door('openai-chat'), {}, 30, ['unpriced'], prices)).toEqual({ tokens: 10 + DEFAULT_OUTPUT_TOKENS, usd: 0 })
    expect(estimateAsk(door('openai-chat', 'embeddings'), {}, 30, ['x'], prices).tokens).toBe(10)
    expect(estimateAsk(door('anthropic', 'count_tokens'), { max_tokens: 9 }, 3000, ['dear'], prices)).toEqual({ tokens: 0, usd: 0 })
  })
})
