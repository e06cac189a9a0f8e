import type { GatewayErrorKind } from '../errors'

/**
 * What a failed attempt means for the key, the (provider, upstream model) circuit and the rest of the
 * request. The one place retryability is decided: `GatewayError.retryable` reads `transient` from
 * here. Decided from the error kind, which each dialect's `decodeError` derives from the status AND
 * the body (Gemini's API_KEY_INVALID arrives as a 400, a 429 may be a per-minute limit or a spent
 * daily quota, Anthropic says 529 overloaded).
 */
export interface FailurePolicy {
  /**
   * How the key is treated: `rest-model` rests this key for this upstream model only (a rate limit is
   * per model at every vendor), `rest-key` rests it for every model (spent quota, billing, permission),
   * `disable` takes it out until a human enables it (invalid key), `none` leaves it alone.
   */
  key: 'rest-model' | 'rest-key' | 'disable' | 'none'
  /** Counts against the (provider, upstream model) circuit breaker: the upstream, not the key, is unwell. */
  circuit: boolean
  /** Another key of the same target may succeed. */
  tryOtherKey: boolean
  /** Another target (provider or model) may succeed. */
  tryOtherTarget: boolean
  /** The same request, sent again later unchanged, may succeed (what a client is told as `retryable`). */
  transient: boolean
}

const RATE_LIMIT: FailurePolicy = { key: 'rest-model', circuit: false, tryOtherKey: true, tryOtherTarget: true, transient: true }
const QUOTA: FailurePolicy = { key: 'rest-key', circuit: false, tryOtherKey: true, tryOtherTarget: true, transient: true }
const BAD_KEY: FailurePolicy = { key: 'disable', circuit: false, tryOtherKey: true, tryOtherTarget: true, transient: false }
const FORBIDDEN: FailurePolicy = { key: 'rest-key', circuit: false, tryOtherKey: true, tryOtherTarget: true, transient: false }
// Another key may land on a healthy replica behind the same endpoint; the circuit sees every one.
const UPSTREAM_FAULT: FailurePolicy = { key: 'none', circuit: true, tryOtherKey: true, tryOtherTarget: true, transient: true }
// Unreachable is unreachable whichever key is used.
const UNREACHABLE: FailurePolicy = { key: 'none', circuit: true, tryOtherKey: false, tryOtherTarget: true, transient: true }
// The model may exist elsewhere; this key and provider did nothing wrong.
const NOT_HERE: FailurePolicy = { key: 'none', circuit: false, tryOtherKey: false, tryOtherTarget: true, transient: false }
// The client's own mistake (or ours): never retried, never held against a key or a provider.
const FINAL: FailurePolicy = { key: 'none', circuit: false, tryOtherKey: false, tryOtherTarget: false, transient: false }

export function policyFor(kind: GatewayErrorKind): FailurePolicy {
  switch (kind) {
    case 'rate_limit':
      return RATE_LIMIT
    case 'quota':
      return QUOTA
    // Also a service-account key whose token exchange the token endpoint refused (Vertex AI,
    // providers/vertex/access-token.ts): the key, not the upstream, is wrong.
    case 'authentication':
      return BAD_KEY
    case 'permission':
      return FORBIDDEN
    case 'overloaded':
    case 'upstream_error':
    case 'unavailable':
      return UPSTREAM_FAULT
    case 'timeout':
    case 'connection':
      return UNREACHABLE
    case 'not_found':
      return NOT_HERE
    case 'invalid_request':
    case 'payload_too_large':
    case 'unsupported':
    case 'internal':
      return FINAL
  }
}

/**
 * What the rest of the request does after a failed candidate:
 * - `stop`: the failure goes to the client (its own mistake, or nothing else could do better);
 * - `wait-same`: a rate limit with the upstream's retry-after: the same candidate may be sent again
 *   once it ends (its rest says when), if the request may wait that long;
 * - `other-key`: this key is done for the request, the target's other keys may take it;
 * - `other-target-first`: the upstream is unwell: other targets first, this target's other keys last;
 * - `other-target`: this target is done for the request.
 */
export type NextMove = 'stop' | 'wait-same' | 'other-key' | 'other-target-first' | 'other-target'

export function nextMove(kind: GatewayErrorKind, retryAfterGiven: boolean): NextMove {
  const p = policyFor(kind)
  if (!p.tryOtherKey && !p.tryOtherTarget) return 'stop'
  if (kind === 'rate_limit' && retryAfterGiven) return 'wait-same'
  if (p.tryOtherKey) return p.circuit ? 'other-target-first' : 'other-key'
  return 'other-target'
}
