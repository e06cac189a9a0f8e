import { describe, expect, it } from 'vitest'
import { circuitRefusal, DEMOTED, DONE, KEY_SPACE, nextCandidate, type CandidateView } from '../../../server/gateway/pool/next-candidate'
import { MemoryStateStore } from '../../../server/gateway/pool/state-store'
import { circuitFailure, CIRCUIT } from '../../../server/gateway/pool/circuit'
import type { ProviderRuntime } from '../../../server/gateway/routing/snapshot'
import type { ResolvedTarget } from '../../../server/gateway/routing/resolve'
import { poolProvider } from './pool-provider'

/** The next-candidate decision, rule by rule, on a hand-made state (no clock, no network). */
function provider(id: string, nKeys: number, caps: Array<number | null> = []): ProviderRuntime {
  return poolProvider(id, Array.from({ length: nKeys }, (_, i) => ({ maxConcurrency: caps[i] ?? null })), { keyPrefix: `${id}-` })
}
const target = (p: ProviderRuntime, model = 'm', role: 'target' | 'fallback' = 'target'): ResolvedTarget => ({ provider: p, model, role })
const NOW = 1_000_000

function view(targets: ResolvedTarget[], st = new MemoryStateStore(), extra: Partial<CandidateView> = {}): CandidateView {
  return { targets, marks: undefined, tried: new Set(), store: st, now: NOW, maxWaitMs: 10_000, model: 'client-model', ...extra }
}
const openCircuit = (st: MemoryStateStore, p: string, m: string, at = NOW) => {
  for (let i = 0; i < CIRCUIT.minFailures; i++) circuitFailure(st.circuit(p, m), at)
}
const sent = (v: CandidateView) => {
  const s = nextCandidate(v)
  return s.kind === 'send' ? { ti: s.ti, key: s.key?.id ?? null, panic: s.panic } : s
}

describe('next candidate: ready ones first, in order', () => {
  it('the first target\'s first usable key', () => {
    const a = provider('a', 2)
    expect(sent(view([target(a), target(provider('b', 1))]))).toEqual({ ti: 0, key: 1, panic: false })
  })

  it('skips keys already tried by this request, then moves to the next target', () => {
    const a = provider('a', 2)
    const b = provider('b', 1)
    expect(sent(view([target(a), target(b)], undefined, { tried: new Set([1]) }))).toEqual({ ti: 0, key: 2, panic: false })
    expect(sent(view([target(a), target(b)], undefined, { tried: new Set([1, 2]) }))).toEqual({ ti: 1, key: 1, panic: false })
  })

  it('a target whose circuit is open is passed over while another is ready', () => {
    const st = new MemoryStateStore()
    openCircuit(st, 'a', 'm')
    expect(sent(view([target(provider('a', 1)), target(provider('b', 1))], st))).toEqual({ ti: 1, key: 1, panic: false })
  })

  it('the circuit is per upstream model: the same provider\'s other model is ready', () => {
    const st = new MemoryStateStore()
    const a = provider('a', 1)
    openCircuit(st, 'a', 'm1')
    expect(sent(view([target(a, 'm1'), target(a, 'm2')], st))).toEqual({ ti: 1, key: 1, panic: false })
  })

  it('a rate-limited (key, model) pair leaves the key ready for another model', () => {
    const st = new MemoryStateStore()
    const a = provider('a', 1)
    st.restModel('a-h1', 'm1', NOW, 30)
    expect(sent(view([target(a, 'm1'), target(a, 'm2')], st))).toEqual({ ti: 1, key: 1, panic: false })
  })

  it('demoted targets (a provider-level failure) come after every other ready target', () => {
    const marks = new Uint8Array([DEMOTED, 0])
    const v = view([target(provider('a', 2)), target(provider('b', 1))], undefined, { marks, tried: new Set([1]) })
    expect(sent(v)).toEqual({ ti: 1, key: 1, panic: false })
    v.tried = new Set([1, KEY_SPACE + 1])
    expect(sent(v)).toEqual({ ti: 0, key: 2, panic: false })
  })

  it('done targets are never tried', () => {
    expect(nextCandidate(view([target(provider('a', 1))], undefined, { marks: new Uint8Array([DONE]) })).kind).toBe('exhausted')
  })

  it('a keyless target is one candidate', () => {
    const v = view([target(provider('a', 0))])
    expect(sent(v)).toEqual({ ti: 0, key: null, panic: false })
    v.tried = new Set([0])
    expect(nextCandidate(v).kind).toBe('exhausted')
  })
})

describe('next candidate: panic routing when nothing is ready', () => {
  it('every candidate resting on our own backoff: send to the one ready soonest, now', () => {
    const st = new MemoryStateStore()
    st.restModel('a-h1', 'm', NOW, undefined)
    st.restModel('a-h1', 'm', NOW, undefined) // 2 s
    st.restModel('b-h1', 'm', NOW, undefined) // 1 s
    expect(sent(view([target(provider('a', 1)), target(provider('b', 1))], st))).toEqual({ ti: 1, key: 1, panic: true })
  })

  it('every circuit open: the one that reopens soonest gets the request', () => {
    const st = new MemoryStateStore()
    openCircuit(st, 'a', 'm', NOW)
    openCircuit(st, 'b', 'm', NOW - 5000)
    expect(sent(view([target(provider('a', 1)), target(provider('b', 1))], st))).toEqual({ ti: 1, key: 1, panic: true })
  })

  it('a single-key provider resting after 500s or a 429 without retry-after still gets the request', () => {
    const st = new MemoryStateStore()
    openCircuit(st, 'a', 'm')
    st.restModel('a-h1', 'm', NOW, undefined)
    expect(sent(view([target(provider('a', 1))], st))).toEqual({ ti: 0, key: 1, panic: true })
  })

  it('a key resting for every model (spent quota, our guess of an hour) is still tried rather than refusing', () => {
    const st = new MemoryStateStore()
    st.restKey('a-h1', NOW, undefined)
    expect(sent(view([target(provider('a', 1))], st))).toEqual({ ti: 0, key: 1, panic: true })
  })
})

describe('next candidate: waiting out an upstream retry-after, or refusing', () => {
  it('the only way forward ends within the wait bound: wait for it', () => {
    const st = new MemoryStateStore()
    st.restModel('a-h1', 'm', NOW, 1)
    expect(nextCandidate(view([target(provider('a', 1))], st))).toEqual({ kind: 'wait', ms: 1000 })
  })

  it('longer than the client may wait: a 429 with the time left', () => {
    const st = new MemoryStateStore()
    st.restModel('a-h1', 'm', NOW, 30)
    const s = nextCandidate(view([target(provider('a', 1))], st, { maxWaitMs: 10_000, now: NOW + 2500 }))
    expect(s.kind).toBe('refuse')
    if (s.kind !== 'refuse') return
    expect(s.error.kind).toBe('rate_limit')
    expect(s.error.status).toBe(429)
    expect(s.error.retryAfter).toBe(28)
    expect(s.error.message).toContain("provider 'a'")
  })

  it('the wait bound includes the deadline (maxWaitMs is the smaller of the two)', () => {
    const st = new MemoryStateStore()
    st.restModel('a-h1', 'm', NOW, 3)
    expect(nextCandidate(view([target(provider('a', 1))], st, { maxWaitMs: 2000 })).kind).toBe('refuse')
  })

  it('an upstream retry-after is never cut short by panic, but a candidate resting on our own guess is sent instead', () => {
    const st = new MemoryStateStore()
    st.restModel('a-h1', 'm', NOW, 60)
    st.restModel('b-h1', 'm', NOW, undefined)
    expect(sent(view([target(provider('a', 1)), target(provider('b', 1))], st))).toEqual({ ti: 1, key: 1, panic: true })
  })

  it('a hard rest that ends sooner than every soft candidate is waited for', () => {
    const st = new MemoryStateStore()
    st.restModel('a-h1', 'm', NOW, 1)
    openCircuit(st, 'b', 'm')
    expect(nextCandidate(view([target(provider('a', 1)), target(provider('b', 1))], st))).toEqual({ kind: 'wait', ms: 1000 })
  })

  it('every key at its concurrency cap: a 429 saying so', () => {
    const st = new MemoryStateStore()
    st.acquire('a-h1')
    const s = nextCandidate(view([target(provider('a', 1, [1]))], st))
    expect(s.kind === 'refuse' && s.error.message).toContain('concurrency limit')
  })

  it('every key disabled: a 503 saying the upstream rejected the keys', () => {
    const st = new MemoryStateStore()
    st.disableKey('a-h1', NOW, 'authentication: invalid x-api-key')
    const s = nextCandidate(view([target(provider('a', 1))], st))
    expect(s.kind).toBe('refuse')
    if (s.kind !== 'refuse') return
    expect(s.error.status).toBe(503)
    expect(s.error.message).toContain("the upstream rejected every key of provider 'a'")
    expect(s.error.message).toContain('invalid x-api-key')
  })

  it('disabled keys are skipped, never panicked to', () => {
    const st = new MemoryStateStore()
    st.disableKey('a-h1', NOW, 'authentication: revoked')
    st.restModel('a-h2', 'm', NOW, undefined)
    expect(sent(view([target(provider('a', 2))], st))).toEqual({ ti: 0, key: 2, panic: true })
  })
})

describe('circuit refusal', () => {
  it('an open circuit is a 503 naming the provider and when it is tried again', () => {
    const st = new MemoryStateStore()
    openCircuit(st, 'a', 'm')
    const e = circuitRefusal(view([target(provider('a', 1))], st, { now: NOW + 1000 }))!
    expect(e.status).toBe(503)
    expect(e.message).toContain("provider 'a'")
    expect(e.message).toContain(`in ${CIRCUIT.coolMs / 1000 - 1} s`)
    expect(e.retryAfter).toBe(CIRCUIT.coolMs / 1000 - 1)
    expect(circuitRefusal(view([target(provider('b', 1))], st))).toBeUndefined()
  })
})
