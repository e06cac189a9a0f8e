import type { GatewayErrorKind } from '../errors'

/**
 * A key is a small state machine: active → resting (until a time, then active by itself) →
 * disabled (until someone enables it, with the reason). A rest is either for every model (spent
 * quota, billing, permission) or for one upstream model (a rate limit: vendors limit per model).
 */
export interface KeyState {
  /** Resting for every model until this time (ms since epoch); 0 = not resting. */
  restUntil: number
  /** The key-wide rest is the upstream's own retry-after (not our guess): never sent before it ends. */
  restHard: boolean
  /** Consecutive key-wide rests (kept for the persisted row); reset by a success. */
  strikes: number
  /** Rests for one upstream model (rate limits); null until the first one. Kept in memory only. */
  models: Map<string, ModelRest> | null
  disabledReason: string | null
  disabledAt: number | null
  inFlight: number
  requests: number
  successes: number
  failures: Partial<Record<GatewayErrorKind, number>>
  inputTokens: number
  outputTokens: number
  lastUsed: number | null
  lastError: string | null
  /** Something changed since the last persisted copy. */
  dirty: boolean
}

/** A (key, upstream model) pair resting after a rate limit. */
export interface ModelRest {
  until: number
  /** Consecutive limits without a success in between (escalates the backoff). */
  strikes: number
  /** `until` is the upstream's own retry-after: the pair is never sent to before it (only waited for). */
  hard: boolean
}

export function newKeyState(): KeyState {
  return {
    restUntil: 0,
    restHard: false,
    strikes: 0,
    models: null,
    disabledReason: null,
    disabledAt: null,
    inFlight: 0,
    requests: 0,
    successes: 0,
    failures: {},
    inputTokens: 0,
    outputTokens: 0,
    lastUsed: null,
    lastError: null,
    dirty: false,
  }
}

export const BACKOFF = {
  /** First rest of a (key, model) pair after a rate limit without retry-after; doubles per strike. */
  baseMs: 1_000,
  /** Escalation cap for those rests. */
  maxMs: 30_000,
  /** A spent quota (or a permission refusal) rests the whole key this long unless the upstream says when. */
  longMs: 60 * 60_000,
}

export type KeyStatus = 'active' | 'resting' | 'disabled'

/** The key as a whole (rests for one model do not show here: see `modelRestUntil`). */
export function keyStatus(s: KeyState, now: number): KeyStatus {
  if (s.disabledReason !== null) return 'disabled'
  return s.restUntil > now ? 'resting' : 'active'
}

/** When this key may be sent a request for this upstream model again (0 or past = now). */
export function modelRestUntil(s: KeyState, model: string): number {
  const m = s.models?.get(model)
  return m === undefined ? 0 : m.until
}

/** Rests the (key, model) pair: the upstream's retry-after if it gave one, else 1 s doubling to 30 s. */
export function restModel(s: KeyState, model: string, now: number, retryAfterSec: number | undefined): void {
  const models = (s.models ??= new Map<string, ModelRest>())
  let m = models.get(model)
  if (!m) {
    m = { until: 0, strikes: 0, hard: false }
    models.set(model, m)
  }
  m.strikes++
  const hard = retryAfterSec !== undefined
  const until = now + (hard ? retryAfterSec * 1000 : Math.min(BACKOFF.baseMs * 2 ** (m.strikes - 1), BACKOFF.maxMs))
  if (until >= m.until) {
    m.until = until
    m.hard = hard
  }
}

/** Rests the key for every model: the upstream's retry-after if it gave one, else an hour. */
export function restKey(s: KeyState, now: number, retryAfterSec: number | undefined): void {
  s.strikes++
  const hard = retryAfterSec !== undefined
  const until = now + (hard ? retryAfterSec * 1000 : BACKOFF.longMs)
  if (until >= s.restUntil) {
    s.restUntil = until
    s.restHard = hard
  }
  s.dirty = true
}

export function disable(s: KeyState, now: number, reason: string): void {
  s.disabledReason = reason
  s.disabledAt = now
  s.dirty = true
}

export function enable(s: KeyState): void {
  s.disabledReason = null
  s.disabledAt = null
  s.restUntil = 0
  s.restHard = false
  s.strikes = 0
  s.models = null
  s.dirty = true
}

/** A success clears the key's rests for every model and this model's strikes: it works. */
export function recordSuccess(s: KeyState, now: number, model: string): void {
  s.successes++
  s.strikes = 0
  s.restUntil = 0
  s.restHard = false
  if (s.models !== null) s.models.delete(model)
  s.lastUsed = now
  s.dirty = true
}

export function recordFailure(s: KeyState, now: number, kind: GatewayErrorKind, message: string): void {
  s.failures[kind] = (s.failures[kind] ?? 0) + 1
  s.lastUsed = now
  s.lastError = `${kind}: ${message}`.slice(0, 300)
  s.dirty = true
}
