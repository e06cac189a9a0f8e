import type { ProviderKey } from '../routing/snapshot'
import type { ResolvedTarget } from '../routing/resolve'
import type { StateStore } from './state-store'
import { GatewayError } from '../errors'
import { circuitReadyAt } from './circuit'
import { selectKey } from './select-key'

/**
 * The next thing a request does, decided from the state alone (pure but for the key strategy's
 * cursor): send to a candidate (a key of a target), wait for one, refuse, or give up because every
 * candidate was tried. A candidate is a (target, key) pair; a target without keys is one candidate.
 *
 * 1. A ready candidate (key not resting for this model, circuit closed or its probe free), in target
 *    order, targets demoted by a provider-level failure last.
 * 2. Else panic routing: the candidate that becomes ready soonest is sent now, whatever our own
 *    guesses (backoffs, open circuits) say: a gateway is never less available than its upstream.
 * 3. Only the upstream's own retry-after is honoured: such a candidate is waited for when it ends
 *    within `maxWaitMs`, else the request is refused with the time left (another candidate that is
 *    only resting on our guess is sent instead, if there is one).
 * 4. Local refusals otherwise: every key at its concurrency cap (429), every key disabled because the
 *    upstream rejected it (503, naming the provider).
 */
export type Step =
  | { kind: 'send'; ti: number; key: ProviderKey | undefined; panic: boolean }
  | { kind: 'wait'; ms: number }
  | { kind: 'refuse'; error: GatewayError }
  | { kind: 'exhausted' }

/** Target marks: may be tried; demoted (its other keys only after every other target); done. */
export const OPEN = 0
export const DEMOTED = 1
export const DONE = 2

/** `tried` holds `ti * KEY_SPACE + key id` (0 for a keyless target): one set per request. */
export const KEY_SPACE = 2 ** 31

export interface CandidateView {
  targets: readonly ResolvedTarget[]
  /** Per target: OPEN, DEMOTED or DONE; undefined = all OPEN. */
  marks: Uint8Array | undefined
  tried: ReadonlySet<number>
  store: StateStore
  now: number
  /** The longest this request may wait for an upstream's retry-after (NUXT_RETRY_WAIT_MAX_MS, bounded by the deadline). */
  maxWaitMs: number
  /** The model the client asked for (named in refusals). */
  model: string
  /** Targets answered without an upstream key (a local token estimate). */
  keyless?: (t: ResolvedTarget) => boolean
}

/** Every usable key is at its max-concurrency: a 429 the client may retry shortly. */
export function concurrencyRefusal(model: string): GatewayError {
  return new GatewayError('rate_limit', `every usable key for '${model}' is at its concurrency limit; retry shortly`, { retryAfter: 1 })
}

export function nextCandidate(v: CandidateView): Step {
  const { targets, marks, tried, store, now } = v
  // 1. Ready now, in order.
  for (let pass = 0; pass < 2; pass++) {
    for (let ti = 0; ti < targets.length; ti++) {
      const m = marks === undefined ? OPEN : marks[ti]
      if (m === DONE || (m === DEMOTED) !== (pass === 1)) continue
      const t = targets[ti]!
      const p = t.provider
      if (circuitReadyAt(store.circuit(p.id, t.model), now) > now) continue
      const base = ti * KEY_SPACE
      if (p.keys.length === 0 || v.keyless?.(t)) {
        if (!tried.has(base)) return { kind: 'send', ti, key: undefined, panic: false }
        continue
      }
      const key = selectKey(p, store, tried, now, t.model, base)
      if (key) return { kind: 'send', ti, key, panic: false }
    }
    if (marks === undefined) break
  }
  return soonest(v)
}

/** Nothing is ready: the candidate that becomes ready soonest, a wait, or a refusal. */
function soonest(v: CandidateView): Step {
  const { targets, marks, tried, store, now } = v
  let soft: { ti: number; key: ProviderKey | undefined; at: number } | undefined
  let hard: { ti: number; key: ProviderKey | undefined; at: number } | undefined
  let busy = false
  let disabled: { provider: string; reason: string } | undefined
  for (let ti = 0; ti < targets.length; ti++) {
    if (marks !== undefined && marks[ti] === DONE) continue
    const t = targets[ti]!
    const p = t.provider
    const circuitAt = circuitReadyAt(store.circuit(p.id, t.model), now)
    const base = ti * KEY_SPACE
    if (p.keys.length === 0 || v.keyless?.(t)) {
      if (!tried.has(base) && (!soft || circuitAt < soft.at)) soft = { ti, key: undefined, at: circuitAt }
      continue
    }
    for (const k of p.keys) {
      if (tried.has(base + k.id)) continue
      const s = store.key(k.hash)
      if (s.disabledReason !== null) {
        disabled ??= { provider: p.id, reason: s.disabledReason }
        continue
      }
      if (k.maxConcurrency !== null && s.inFlight >= k.maxConcurrency) {
        busy = true
        continue
      }
      let at = circuitAt
      let isHard = false
      if (s.restUntil > now) {
        at = Math.max(at, s.restUntil)
        isHard = s.restHard
      }
      const mr = s.models?.get(t.model)
      if (mr !== undefined && mr.until > now) {
        at = Math.max(at, mr.until)
        isHard ||= mr.hard
      }
      if (isHard) {
        if (!hard || at < hard.at) hard = { ti, key: k, at }
      } else if (!soft || at < soft.at) soft = { ti, key: k, at }
    }
  }
  if (soft && (!hard || soft.at <= hard.at)) return { kind: 'send', ti: soft.ti, key: soft.key, panic: true }
  if (hard) {
    const ms = hard.at - now
    if (ms <= v.maxWaitMs) return { kind: 'wait', ms }
    if (soft) return { kind: 'send', ti: soft.ti, key: soft.key, panic: true }
    const t = targets[hard.ti]!
    const secs = Math.max(1, Math.ceil(ms / 1000))
    return {
      kind: 'refuse',
      error: new GatewayError('rate_limit', `'${v.model}' is rate limited by provider '${t.provider.id}' (model '${t.model}') for another ${secs} s, as the upstream asked`, {
        retryAfter: secs,
        provider: t.provider.id,
      }),
    }
  }
  if (busy) return { kind: 'refuse', error: concurrencyRefusal(v.model) }
  if (disabled)
    return {
      kind: 'refuse',
      error: new GatewayError(
        'unavailable',
        `the upstream rejected every key of provider '${disabled.provider}' for '${v.model}' (${disabled.reason}); the keys stay disabled until an admin enables them`,
        { provider: disabled.provider },
      ),
    }
  return { kind: 'exhausted' }
}

/** Why a request that made no attempt could not go anywhere in time: an open circuit is a 503 naming the provider. */
export function circuitRefusal(v: CandidateView): GatewayError | undefined {
  let best: { provider: string; model: string; at: number } | undefined
  for (let ti = 0; ti < v.targets.length; ti++) {
    if (v.marks !== undefined && v.marks[ti] === DONE) continue
    const t = v.targets[ti]!
    const at = circuitReadyAt(v.store.circuit(t.provider.id, t.model), v.now)
    if (at > v.now && (!best || at < best.at)) best = { provider: t.provider.id, model: t.model, at }
  }
  if (!best) return undefined
  const secs = Math.max(1, Math.ceil((best.at - v.now) / 1000))
  return new GatewayError('unavailable', `provider '${best.provider}' (model '${best.model}') is failing and its circuit is open; it will be tried again in ${secs} s`, {
    retryAfter: secs,
    provider: best.provider,
  })
}
