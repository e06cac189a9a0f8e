import type { EncodedError } from '../../codec'
import { GatewayError, kindFromStatus, type GatewayErrorKind } from '../../errors'
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

/** Our kind → (HTTP status, google.rpc code name). */
function statusOf(err: GatewayError): [number, string] {
  switch (err.kind) {
    case 'invalid_request':
    case 'unsupported':
      return [400, 'INVALID_ARGUMENT']
    case 'authentication':
      // The real API answers a bad key with 400 + API_KEY_INVALID; 401 is handled fine by clients.
      return [401, 'UNAUTHENTICATED']
    case 'permission':
      return [403, 'PERMISSION_DENIED']
    case 'not_found':
      return [404, 'NOT_FOUND']
    case 'payload_too_large':
      // Google says INVALID_ARGUMENT ("Request payload size exceeds the limit"); the HTTP status is the
      // contract's 413 on every door, so a client can tell "too big" from "malformed" by status alone.
      return [413, 'INVALID_ARGUMENT']
    case 'rate_limit':
    case 'quota':
      return [429, 'RESOURCE_EXHAUSTED']
    case 'overloaded':
    case 'unavailable':
      return [503, 'UNAVAILABLE']
    case 'upstream_error': {
      const s = err.status === 529 ? 503 : err.status >= 500 && err.status < 600 ? err.status : 502
      return [s, s === 503 ? 'UNAVAILABLE' : 'INTERNAL']
    }
    case 'timeout':
      return [504, 'DEADLINE_EXCEEDED']
    case 'connection':
      return [502, 'UNAVAILABLE']
    case 'internal':
      return [500, 'INTERNAL']
    default: {
      const never: never = err.kind
      return never
    }
  }
}

export function encodeError(err: GatewayError): EncodedError {
  const [code, status] = statusOf(err)
  const error: Json = { code, message: err.message, status }
  if ((err.kind === 'rate_limit' || err.kind === 'quota') && err.retryAfter !== undefined) {
    error.details = [{ '@type': RETRY_INFO, retryDelay: `${err.retryAfter}s` }]
  }
  return { status: code, body: { error } }
}
