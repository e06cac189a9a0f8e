import type { GatewayErrorKind } from '../errors'

/**
 * A key is a small state machine: active → resting (until a time, then active by itself) →
 * disabled (until someone enables it, with the reason). Repeated limits rest it longer each time.
 */
export interface KeyState {
  /** Resting until this time (ms since epoch); 0 = not resting. */
  restUntil: number
  /** Consecutive limit strikes, for escalating backoff; reset by a success. */
  strikes: number
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

export function newKeyState(): KeyState {
  return {
    restUntil: 0,
    strikes: 0,
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
  /** First rest after a rate limit without retry-after. */
  baseMs: 2_000,
  /** Escalation cap. */
  maxMs: 5 * 60_000,
  /** A spent quota rests the key this long unless the upstream says when. */
  longMs: 60 * 60_000,
}

export type KeyStatus = 'active' | 'resting' | 'disabled'

export function keyStatus(s: KeyState, now: number): KeyStatus {
  if (s.disabledReason !== null) return 'disabled'
  return s.restUntil > now ? 'resting' : 'active'
}

/** Rests the key: the upstream's retry-after if it gave one, else an escalating backoff. */
export function rest(s: KeyState, now: number, retryAfterSec: number | undefined, long: boolean): void {
  s.strikes++
  const escalated = Math.min(BACKOFF.baseMs * 2 ** (s.strikes - 1), BACKOFF.maxMs)
  const ms = retryAfterSec !== undefined ? retryAfterSec * 1000 : long ? BACKOFF.longMs : escalated
  s.restUntil = Math.max(s.restUntil, now + ms)
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
  s.strikes = 0
  s.dirty = true
}

export function recordSuccess(s: KeyState, now: number): void {
  s.successes++
  s.strikes = 0
  s.restUntil = 0
  s.lastUsed = now
  s.dirty = true
}

export function recordFailure(s: KeyState, now: number, kind: GatewayErrorKind, message: string): void {
  s.failures[kind] = (s.failures[kind] ?? 0) + 1
  s.lastUsed = now
  s.lastError = `${kind}: ${message}`.slice(0, 300)
  s.dirty = true
}
