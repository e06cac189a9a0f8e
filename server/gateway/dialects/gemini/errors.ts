import type { EncodedError } from '../../codec'
import { DEFAULT_STATUS, GatewayError, kindFromStatus, type GatewayErrorKind } from '../../errors'
import { arr, isRecord, str, type Json } from './wire'
import { retryAfterSeconds } from '../_shared/headers'

/**
 * Gemini errors are google.rpc.Status: `{error: {code, message, status, details?}}`. A 429 carries
 * QuotaFailure (which quota) and RetryInfo (`retryDelay: "34.4s"`) details.
 */

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo'
const QUOTA_FAILURE = 'type.googleapis.com/google.rpc.QuotaFailure'

function parseDelay(v: unknown): number | undefined {
  const m = typeof v === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(v.trim()) : null
  return m ? Number(m[1]) : undefined
}

export function decodeError(
  status: number,
  body: string,
  headers?: Record<string, string | string[] | undefined>,
): GatewayError {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    parsed = undefined
  }
  // A non-SSE stream fails as a JSON array holding the error.
  if (Array.isArray(parsed)) parsed = parsed[0]
  const err: Json = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : {}
  const message = str(err.message) ?? (body.trim() || `Gemini upstream error (HTTP ${status})`)
  const details = arr(err.details).filter(isRecord)
  const rpcStatus = str(err.status)

  let kind: GatewayErrorKind = kindFromStatus(status)
  const keyInvalid = details.some((d) => d.reason === 'API_KEY_INVALID') || /API key not valid/i.test(message)
  if (keyInvalid) kind = 'authentication'
  else if (status === 429 || rpcStatus === 'RESOURCE_EXHAUSTED') {
    const perDay = details.some(
      (d) => d['@type'] === QUOTA_FAILURE && arr(d.violations).some((v) => isRecord(v) && /PerDay/i.test(str(v.quotaId) ?? '')),
    )
    kind = perDay ? 'quota' : 'rate_limit'
  } else if (status === 503 || rpcStatus === 'UNAVAILABLE') kind = 'overloaded'
  else if (rpcStatus === 'DEADLINE_EXCEEDED') kind = 'timeout'

  let retryAfter = parseDelay(details.find((d) => d['@type'] === RETRY_INFO)?.retryDelay)
  retryAfter ??= retryAfterSeconds(headers)

  return new GatewayError(kind, message, {
    upstreamStatus: status,
    upstreamBody: body,
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  })
}

/**
 * Our kind → google.rpc code name. The HTTP status is the contract's (DEFAULT_STATUS): a bad key is
 * 401 although the real API answers 400 + API_KEY_INVALID (clients handle 401 fine), and a payload
 * too large is 413 with Google's INVALID_ARGUMENT, so a client tells "too big" from "malformed" by
 * status alone on every door.
 */
const RPC_CODE: Record<GatewayErrorKind, string> = {
  invalid_request: 'INVALID_ARGUMENT',
  unsupported: 'INVALID_ARGUMENT',
  payload_too_large: 'INVALID_ARGUMENT',
  authentication: 'UNAUTHENTICATED',
  permission: 'PERMISSION_DENIED',
  not_found: 'NOT_FOUND',
  rate_limit: 'RESOURCE_EXHAUSTED',
  quota: 'RESOURCE_EXHAUSTED',
  overloaded: 'UNAVAILABLE',
  unavailable: 'UNAVAILABLE',
  upstream_error: 'INTERNAL',
  timeout: 'DEADLINE_EXCEEDED',
  connection: 'UNAVAILABLE',
  internal: 'INTERNAL',
}

/** Our kind → (HTTP status, google.rpc code name). */
function statusOf(err: GatewayError): [number, string] {
  // Google has no 529: overloaded is 503 UNAVAILABLE; an upstream 5xx keeps its status.
  if (err.kind === 'overloaded') return [503, RPC_CODE.overloaded]
  if (err.kind === 'upstream_error') {
    const s = err.status === 529 ? 503 : err.status >= 500 && err.status < 600 ? err.status : 502
    return [s, s === 503 ? 'UNAVAILABLE' : RPC_CODE.upstream_error]
  }
  return [DEFAULT_STATUS[err.kind], RPC_CODE[err.kind]]
}

export function encodeError(err: GatewayError): EncodedError {
  const [code, status] = statusOf(err)
  const error: Json = { code, message: err.message, status }
  if ((err.kind === 'rate_limit' || err.kind === 'quota') && err.retryAfter !== undefined) {
    error.details = [{ '@type': RETRY_INFO, retryDelay: `${err.retryAfter}s` }]
  }
  return { status: code, body: { error } }
}
