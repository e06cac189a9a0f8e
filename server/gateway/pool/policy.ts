import type { GatewayErrorKind } from '../errors'

/**
 * What a failed attempt means for the key, the provider and the rest of the request. Decided from
 * the error kind, which each dialect's `decodeError` derives from the status AND the body (Gemini's
 * API_KEY_INVALID arrives as a 400, a 429 may be a per-minute limit or a spent daily quota, Anthropic
 * says 529 overloaded).
 */
export interface FailurePolicy {
  /** How the key is treated: rest briefly, rest long, disable until a human enables it, or nothing. */
  key: 'rest' | 'rest-long' | 'disable' | 'none'
  /** Counts towards the provider's circuit breaker (the provider, not the key, is unwell). */
  provider: boolean
  /** Another key of the same provider may succeed. */
  tryOtherKey: boolean
  /** Another target (provider) may succeed. */
  tryOtherTarget: boolean
}

export function policyFor(kind: GatewayErrorKind): FailurePolicy {
  switch (kind) {
    case 'rate_limit':
      return { key: 'rest', provider: false, tryOtherKey: true, tryOtherTarget: true }
    case 'quota':
      return { key: 'rest-long', provider: false, tryOtherKey: true, tryOtherTarget: true }
    case 'authentication':
      return { key: 'disable', provider: false, tryOtherKey: true, tryOtherTarget: true }
    case 'permission':
      return { key: 'rest-long', provider: false, tryOtherKey: true, tryOtherTarget: true }
    case 'overloaded':
    case 'upstream_error':
    case 'unavailable':
      return { key: 'none', provider: true, tryOtherKey: true, tryOtherTarget: true }
    case 'timeout':
    case 'connection':
      // Unreachable is unreachable whichever key is used.
      return { key: 'none', provider: true, tryOtherKey: false, tryOtherTarget: true }
    case 'not_found':
      // The model may exist elsewhere; this key and provider did nothing wrong.
      return { key: 'none', provider: false, tryOtherKey: false, tryOtherTarget: true }
    case 'invalid_request':
    case 'payload_too_large':
    case 'unsupported':
    case 'internal':
      // The client's fault (or ours): never retried, never held against a key.
      return { key: 'none', provider: false, tryOtherKey: false, tryOtherTarget: false }
  }
}
