import { describe, expect, it } from 'vitest'
import { selectKey } from '../../../server/gateway/pool/select-key'
import { MemoryStateStore } from '../../../server/gateway/pool/state-store'
import { BACKOFF, disable, enable, keyStatus, recordSuccess, rest } from '../../../server/gateway/pool/key-state'
import { admit, circuitFailure, circuitStatus, circuitSuccess, CIRCUIT, newCircuit } from '../../../server/gateway/pool/circuit'
import { policyFor } from '../../../server/gateway/pool/policy'
import type { ProviderRuntime } from '../../../server/gateway/routing/snapshot'
import type { KeyStrategy } from '../../../server/gateway/pool/select-key'

function provider(strategy: KeyStrategy, weights = [1, 1, 1], caps: Array<number | null> = [null, null, null]): ProviderRuntime {
  return {
    id: 'p',
    dialect: 'openai-chat',
    baseUrl: 'http://x/',
    origin: 'http://x',
    basePath: '/',
    timeoutMs: 1000,
    enabled: true,
    keys: weights.map((w, i) => ({ id: i + 1, key: `k${i + 1}`, hash: `h${i + 1}`, hint: '', fingerprint: '', weight: w, maxConcurrency: caps[i] ?? null })),
    authHeader: 'authorization',
    authTemplate: 'Bearer {key}',
    headers: {},
    keyStrategy: strategy,
    cursor: 0,
  }
}

const pick = (p: ProviderRuntime, store: MemoryStateStore, now = 1000, tried = new Set<number>()) => selectKey(p, store, tried, now)?.id

describe('key selection', () => {
  it('round-robin cycles and skips resting, disabled and already-tried keys', () => {
    const p = provider('round-robin')
    const st = new MemoryStateStore()
    expect([pick(p, st), pick(p, st), pick(p, st), pick(p, st)]).toEqual([1, 2, 3, 1])
    rest(st.key('h2'), 1000, 5, false)
    disable(st.key('h3'), 1000, 'authentication: revoked')
    expect([pick(p, st), pick(p, st)]).toEqual([1, 1])
    expect(pick(p, st, 1000, new Set([1]))).toBeUndefined()
    // The rest ends by itself.
    expect(pick(p, st, 7000, new Set([1]))).toBe(2)
  })

  it('fill-first uses the first usable key', () => {
    const p = provider('fill-first')
    const st = new MemoryStateStore()
    expect([pick(p, st), pick(p, st)]).toEqual([1, 1])
    rest(st.key('h1'), 1000, 10, false)
    expect(pick(p, st)).toBe(2)
  })

  it('a key at its concurrency cap is skipped, not queued behind', () => {
    const p = provider('fill-first', [1, 1, 1], [2, null, null])
    const st = new MemoryStateStore()
    st.key('h1').inFlight = 2
    expect(pick(p, st)).toBe(2)
    st.key('h1').inFlight = 1
    expect(pick(p, st)).toBe(1)
  })

  it('least-used prefers the fewest in flight, then the fewest requests', () => {
    const p = provider('least-used')
    const st = new MemoryStateStore()
    st.key('h1').inFlight = 3
    st.key('h2').inFlight = 1
    st.key('h3').inFlight = 1
    st.key('h2').requests = 10
    st.key('h3').requests = 4
    expect(pick(p, st)).toBe(3)
  })

  it.each(['weighted', 'random'] as const)('%s matches its distribution within a few percent over 10,000 picks', (strategy) => {
    const p = provider(strategy, [5, 3, 2])
    const st = new MemoryStateStore()
    const counts = [0, 0, 0]
    const N = 10_000
    for (let i = 0; i < N; i++) counts[pick(p, st)! - 1]!++
    const expected = strategy === 'weighted' ? [0.5, 0.3, 0.2] : [1 / 3, 1 / 3, 1 / 3]
    counts.forEach((c, i) => expect(Math.abs(c / N - expected[i]!)).toBeLessThan(0.025))
  })
})

describe('key state', () => {
  it('rests for retry-after when given, else escalating backoff, reset by a success', () => {
    const st = new MemoryStateStore()
    const s = st.key('h')
    rest(s, 0, 7, false)
    expect(s.restUntil).toBe(7000)
    s.restUntil = 0
    rest(s, 0, undefined, false)
    expect(s.restUntil).toBe(BACKOFF.baseMs * 2) // second strike
    rest(s, 0, undefined, false)
    expect(s.restUntil).toBe(BACKOFF.baseMs * 4)
    for (let i = 0; i < 20; i++) rest(s, 0, undefined, false)
    expect(s.restUntil).toBe(BACKOFF.maxMs)
    recordSuccess(s, 1)
    expect(s.strikes).toBe(0)
    expect(keyStatus(s, 2)).toBe('active')
  })

  it('a spent quota rests long; a disabled key stays disabled with its reason until enabled', () => {
    const s = new MemoryStateStore().key('h')
    rest(s, 0, undefined, true)
    expect(s.restUntil).toBe(BACKOFF.longMs)
    disable(s, 0, 'authentication: key revoked')
    expect(keyStatus(s, 10 * BACKOFF.longMs)).toBe('disabled')
    expect(s.disabledReason).toBe('authentication: key revoked')
    enable(s)
    expect(keyStatus(s, 1)).toBe('active')
  })
})

describe('circuit breaker', () => {
  it('opens after repeated failures, lets one probe through after the cool-down, closes on its success', () => {
    const c = newCircuit()
    for (let i = 0; i < CIRCUIT.threshold - 1; i++) circuitFailure(c, 0)
    expect(circuitStatus(c, 0)).toBe('closed')
    circuitFailure(c, 0)
    expect(circuitStatus(c, 1)).toBe('open')
    expect(admit(c, 1)).toBe(false)
    const later = CIRCUIT.coolMs + 1
    expect(circuitStatus(c, later)).toBe('half-open')
    expect(admit(c, later)).toBe(true)
    expect(admit(c, later)).toBe(false) // one probe at a time
    circuitSuccess(c)
    expect(circuitStatus(c, later)).toBe('closed')
  })

  it('a failed probe opens it again for longer', () => {
    const c = newCircuit()
    for (let i = 0; i < CIRCUIT.threshold; i++) circuitFailure(c, 0)
    const t = CIRCUIT.coolMs + 1
    expect(admit(c, t)).toBe(true)
    circuitFailure(c, t)
    expect(c.openUntil).toBe(t + CIRCUIT.coolMs * 2)
  })
})

describe('failure policy', () => {
  it('never retries or penalises a bad request; disables on invalid keys; rests on limits', () => {
    expect(policyFor('invalid_request')).toEqual({ key: 'none', provider: false, tryOtherKey: false, tryOtherTarget: false })
    expect(policyFor('authentication').key).toBe('disable')
    expect(policyFor('rate_limit')).toMatchObject({ key: 'rest', tryOtherKey: true })
    expect(policyFor('quota').key).toBe('rest-long')
    expect(policyFor('overloaded')).toMatchObject({ key: 'none', provider: true })
    expect(policyFor('connection')).toMatchObject({ provider: true, tryOtherKey: false, tryOtherTarget: true })
  })
})
