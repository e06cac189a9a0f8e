import { describe, expect, it } from 'vitest'
import { selectKey } from '../../../server/gateway/pool/select-key'
import { MemoryStateStore } from '../../../server/gateway/pool/state-store'
import { BACKOFF, disable, enable, keyStatus, modelRestUntil, recordSuccess, restKey, restModel } from '../../../server/gateway/pool/key-state'
import { circuitFailure, circuitReadyAt, circuitStatus, circuitSuccess, CIRCUIT, claimProbe, newCircuit, windowCounts, worstCircuit } from '../../../server/gateway/pool/circuit'
import type { ProviderRuntime } from '../../../server/gateway/routing/snapshot'
import type { KeyStrategy } from '../../../server/gateway/pool/select-key'
import { poolProvider } from './pool-provider'

function provider(strategy: KeyStrategy, weights = [1, 1, 1], caps: Array<number | null> = [null, null, null]): ProviderRuntime {
  return poolProvider('p', weights.map((weight, i) => ({ weight, maxConcurrency: caps[i] ?? null })), { keyStrategy: strategy })
}

const pick = (p: ProviderRuntime, store: MemoryStateStore, now = 1000, tried = new Set<number>(), model = 'm') => selectKey(p, store, tried, now, model)?.id

describe('key selection', () => {
  it('round-robin cycles and skips resting, disabled and already-tried keys', () => {
    const p = provider('round-robin')
    const st = new MemoryStateStore()
    expect([pick(p, st), pick(p, st), pick(p, st), pick(p, st)]).toEqual([1, 2, 3, 1])
    restKey(st.key('h2'), 1000, 5)
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
    restKey(st.key('h1'), 1000, 10)
    expect(pick(p, st)).toBe(2)
  })

  it('a key resting for one model still serves the others', () => {
    const p = provider('fill-first')
    const st = new MemoryStateStore()
    restModel(st.key('h1'), 'model-a', 1000, undefined)
    expect(pick(p, st, 1000, new Set(), 'model-a')).toBe(2)
    expect(pick(p, st, 1000, new Set(), 'model-b')).toBe(1)
    // Tried keys are `base + id`: one set serves every target of a request.
    expect(selectKey(p, st, new Set([2 ** 31 + 1]), 1000, 'model-b', 2 ** 31)?.id).toBe(2)
    expect(selectKey(p, st, new Set([2 ** 31 + 1]), 1000, 'model-b', 0)?.id).toBe(1)
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
  it('a rate limit rests the (key, model) pair: the upstream retry-after when given (hard), else 1 s doubling to 30 s', () => {
    const s = new MemoryStateStore().key('h')
    restModel(s, 'a', 0, 7)
    expect(modelRestUntil(s, 'a')).toBe(7000)
    expect(s.models!.get('a')!.hard).toBe(true)
    expect(modelRestUntil(s, 'b')).toBe(0)
    expect(keyStatus(s, 1)).toBe('active') // the key as a whole is not resting
    const t = new MemoryStateStore().key('h')
    const rests: number[] = []
    for (let i = 0; i < 7; i++) {
      restModel(t, 'a', 0, undefined)
      rests.push(modelRestUntil(t, 'a'))
    }
    expect(rests).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000])
    expect(BACKOFF).toMatchObject({ baseMs: 1000, maxMs: 30_000 })
    expect(t.models!.get('a')!.hard).toBe(false)
  })

  it('a success clears that model\'s rest and strikes, and the key-wide rest', () => {
    const s = new MemoryStateStore().key('h')
    restModel(s, 'a', 0, undefined)
    restModel(s, 'a', 0, undefined)
    restModel(s, 'b', 0, undefined)
    restKey(s, 0, undefined)
    recordSuccess(s, 1, 'a')
    expect(modelRestUntil(s, 'a')).toBe(0)
    expect(modelRestUntil(s, 'b')).toBe(1000)
    expect(keyStatus(s, 2)).toBe('active')
    restModel(s, 'a', 10, undefined)
    expect(modelRestUntil(s, 'a')).toBe(1010) // strikes started over
  })

  it('a shorter rest never cuts a longer one short', () => {
    const s = new MemoryStateStore().key('h')
    restModel(s, 'a', 0, 20)
    restModel(s, 'a', 0, undefined)
    expect(modelRestUntil(s, 'a')).toBe(20_000)
    expect(s.models!.get('a')!.hard).toBe(true)
  })

  it('a spent quota rests the key for every model, an hour unless the upstream says when; a disabled key stays disabled until enabled', () => {
    const s = new MemoryStateStore().key('h')
    restKey(s, 0, undefined)
    expect(s.restUntil).toBe(BACKOFF.longMs)
    expect(s.restHard).toBe(false)
    restKey(s, 0, 2 * 3600)
    expect(s.restUntil).toBe(2 * 3600_000)
    expect(s.restHard).toBe(true)
    disable(s, 0, 'authentication: key revoked')
    expect(keyStatus(s, 10 * BACKOFF.longMs)).toBe('disabled')
    expect(s.disabledReason).toBe('authentication: key revoked')
    enable(s)
    expect(keyStatus(s, 1)).toBe('active')
  })
})

describe('circuit breaker (per provider and upstream model)', () => {
  const fail = (c: ReturnType<typeof newCircuit>, n: number, at: number) => {
    for (let i = 0; i < n; i++) circuitFailure(c, at)
  }
  const succeed = (c: ReturnType<typeof newCircuit>, n: number, at: number) => {
    for (let i = 0; i < n; i++) circuitSuccess(c, at)
  }

  it('the numbers: 5 failures and half the attempts within 30 s, 15 s cool-down doubling to 2 min', () => {
    expect(CIRCUIT).toEqual({ windowMs: 30_000, buckets: 10, minFailures: 5, failureRatio: 0.5, coolMs: 15_000, maxCoolMs: 120_000 })
  })

  it('three (or four) consecutive failures do not open it', () => {
    const c = newCircuit()
    fail(c, 4, 1000)
    expect(circuitStatus(c, 1000)).toBe('closed')
    expect(circuitReadyAt(c, 1000)).toBe(0)
  })

  it('five failures open it only when they are at least half the attempts', () => {
    const c = newCircuit()
    succeed(c, 6, 1000)
    fail(c, 5, 1000)
    expect(circuitStatus(c, 1000)).toBe('closed') // 5 of 11
    fail(c, 1, 1000)
    expect(circuitStatus(c, 1000)).toBe('open') // 6 of 12
    expect(c.openUntil).toBe(1000 + CIRCUIT.coolMs)
  })

  it('failures older than the window are forgotten', () => {
    const c = newCircuit()
    fail(c, 4, 0)
    fail(c, 1, CIRCUIT.windowMs + 1)
    expect(circuitStatus(c, CIRCUIT.windowMs + 1)).toBe('closed')
    expect(windowCounts(c, CIRCUIT.windowMs + 1)).toEqual({ ok: 0, bad: 1 })
    fail(c, 4, CIRCUIT.windowMs + 2)
    expect(circuitStatus(c, CIRCUIT.windowMs + 2)).toBe('open')
  })

  it('after the cool-down one probe goes (half-open); a success closes it and clears the window', () => {
    const c = newCircuit()
    fail(c, 5, 0)
    expect(circuitReadyAt(c, 1)).toBe(CIRCUIT.coolMs)
    const later = CIRCUIT.coolMs + 1
    expect(circuitStatus(c, later)).toBe('half-open')
    expect(circuitReadyAt(c, later)).toBe(0)
    claimProbe(c, later)
    expect(circuitReadyAt(c, later)).toBeGreaterThan(later) // others keep away while it is out
    circuitSuccess(c, later)
    expect(circuitStatus(c, later)).toBe('closed')
    fail(c, 4, later)
    expect(circuitStatus(c, later)).toBe('closed') // the old failures are gone
  })

  it('a failed probe opens it again for twice as long, capped; failures while open (panic traffic) change nothing', () => {
    const c = newCircuit()
    fail(c, 5, 0)
    fail(c, 3, 100)
    expect(c.openUntil).toBe(CIRCUIT.coolMs)
    let t = CIRCUIT.coolMs + 1
    circuitFailure(c, t)
    expect(c.openUntil).toBe(t + CIRCUIT.coolMs * 2)
    for (let i = 0; i < 6; i++) {
      t = c.openUntil + 1
      circuitFailure(c, t)
    }
    expect(c.openUntil - t).toBe(CIRCUIT.maxCoolMs)
  })

  it('is kept per (provider, model): one model failing leaves the others closed; the provider view shows the worst', () => {
    const st = new MemoryStateStore()
    fail(st.circuit('p', 'a'), 5, 0)
    expect(circuitStatus(st.circuit('p', 'a'), 1)).toBe('open')
    expect(circuitStatus(st.circuit('p', 'b'), 1)).toBe('closed')
    expect(worstCircuit(st, 'p', 1)).toBe('open')
    expect(worstCircuit(st, 'q', 1)).toBe('closed')
    st.providerUp('p')
    expect(circuitStatus(st.circuit('p', 'a'), 1)).toBe('closed')
  })
})
