import { policyFor } from './pool/policy'

/**
 * One error type for everything that can go wrong on the way to or from an upstream. Each dialect
 * renders it in its own shape (see `dialects/<name>/errors.ts`), so clients never see a foreign error.
 */
export type GatewayErrorKind =
  | 'invalid_request' // the client's fault: bad JSON, bad field; never retried
  | 'authentication' // missing/invalid key (client key at our door, or upstream key)
  | 'permission'
  | 'not_found' // unknown model / route
  | 'payload_too_large'
  | 'rate_limit' // short-term limit (429)
  | 'quota' // spent quota / billing
  | 'overloaded' // Anthropic 529, Gemini 503 UNAVAILABLE
  | 'upstream_error' // upstream 5xx
  | 'timeout'
  | 'connection' // refused / reset / DNS
  | 'unsupported' // the target cannot carry a part
  | 'unavailable' // maintenance / no provider enabled
  | 'internal'

export const DEFAULT_STATUS: Record<GatewayErrorKind, number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  payload_too_large: 413,
  rate_limit: 429,
  quota: 429,
  overloaded: 529,
  upstream_error: 502,
  timeout: 504,
  connection: 502,
  unsupported: 400,
  unavailable: 503,
  internal: 500,
}

const MARKER = Symbol.for('rosetta.gateway-error')

export interface GatewayErrorInit {
  status?: number
  provider?: string
  upstreamStatus?: number
  upstreamBody?: string
  retryAfter?: number
  /** The field / parameter the error is about, when known (OpenAI `param`). */
  param?: string
  cause?: unknown
}

export class GatewayError extends Error {
  readonly [MARKER] = true
  readonly kind: GatewayErrorKind
  readonly status: number
  readonly provider?: string
  readonly upstreamStatus?: number
  readonly upstreamBody?: string
  /** Seconds, from the upstream's retry-after header or body. */
  readonly retryAfter?: number
  readonly param?: string

  constructor(kind: GatewayErrorKind, message: string, init: GatewayErrorInit = {}) {
    super(message, init.cause ? { cause: init.cause } : undefined)
    this.name = 'GatewayError'
    this.kind = kind
    this.status = init.status ?? DEFAULT_STATUS[kind]
    this.provider = init.provider
    this.upstreamStatus = init.upstreamStatus
    this.upstreamBody = init.upstreamBody
    this.retryAfter = init.retryAfter
    this.param = init.param
  }

  /** May the same request succeed later? Decided by the failure policy (pool/policy.ts), nowhere else. */
  get retryable(): boolean {
    return policyFor(this.kind).transient
  }

  static is(e: unknown): e is GatewayError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[MARKER] === true
  }
}

export function invalidRequest(message: string, param?: string): GatewayError {
  return new GatewayError('invalid_request', message, { param })
}

/** Maps an HTTP status to the kind a client expects for it, when the body says nothing better. */
export function kindFromStatus(status: number): GatewayErrorKind {
  if (status === 400 || status === 422) return 'invalid_request'
  if (status === 401) return 'authentication'
  if (status === 403) return 'permission'
  if (status === 404) return 'not_found'
  if (status === 413) return 'payload_too_large'
  if (status === 429) return 'rate_limit'
  if (status === 529 || status === 503) return 'overloaded'
  if (status === 504 || status === 408) return 'timeout'
  return 'upstream_error'
}
