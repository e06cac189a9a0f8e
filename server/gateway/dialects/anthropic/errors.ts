import { GatewayError, kindFromStatus, type GatewayErrorKind } from '../../errors'
import type { EncodedError } from '../../codec'
import { isRecord, str } from './wire'
import { retryAfterSeconds } from '../_shared/headers'

/**
 * Anthropic error shape: `{type:'error', error:{type, message}, request_id?}`.
 * Choices: `quota` → 429 rate_limit_error (message mentions quota); `unavailable` → 503
 * overloaded_error (retryable, the SDK retries 503 like 529); `timeout` → 504 timeout_error.
 */
const ENCODE: Record<GatewayErrorKind, { status: number; type: string }> = {
  invalid_request: { status: 400, type: 'invalid_request_error' },
  authentication: { status: 401, type: 'authentication_error' },
  permission: { status: 403, type: 'permission_error' },
  not_found: { status: 404, type: 'not_found_error' },
  payload_too_large: { status: 413, type: 'request_too_large' },
  rate_limit: { status: 429, type: 'rate_limit_error' },
  quota: { status: 429, type: 'rate_limit_error' },
  overloaded: { status: 529, type: 'overloaded_error' },
  upstream_error: { status: 502, type: 'api_error' },
  timeout: { status: 504, type: 'timeout_error' },
  connection: { status: 502, type: 'api_error' },
  unsupported: { status: 400, type: 'invalid_request_error' },
  unavailable: { status: 503, type: 'overloaded_error' },
  internal: { status: 500, type: 'api_error' },
}

export function anthropicErrorType(kind: GatewayErrorKind): string {
  return ENCODE[kind].type
}

/** The message a client sees; a quota error always says so. */
export function anthropicErrorMessage(err: GatewayError): string {
  const msg = err.message || err.kind
  if (err.kind === 'quota' && !/quota|credit|billing/i.test(msg)) return `Quota exceeded: ${msg}`
  return msg
}

export function encodeError(err: GatewayError): EncodedError {
  const { status, type } = ENCODE[err.kind]
  return { status, body: { type: 'error', error: { type, message: anthropicErrorMessage(err) } } }
}

/** Kind for an Anthropic `error.type` (undefined when unknown). */
export function kindFromErrorType(type: string | undefined, message: string): GatewayErrorKind | undefined {
  switch (type) {
    case 'invalid_request_error':
      return /credit balance/i.test(message) ? 'quota' : 'invalid_request'
    case 'authentication_error':
      return 'authentication'
    case 'billing_error':
      return 'quota'
    case 'permission_error':
      return 'permission'
    case 'not_found_error':
      return 'not_found'
    case 'request_too_large':
      return 'payload_too_large'
    case 'rate_limit_error':
      return 'rate_limit'
    case 'timeout_error':
      return 'timeout'
    case 'api_error':
      return 'upstream_error'
    case 'overloaded_error':
      return 'overloaded'
    default:
      return undefined
  }
}

export function decodeError(
  status: number,
  body: string,
  headers?: Record<string, string | string[] | undefined>,
): GatewayError {
  let type: string | undefined
  let message: string | undefined
  try {
    const parsed: unknown = JSON.parse(body)
    if (isRecord(parsed) && isRecord(parsed.error)) {
      type = str(parsed.error.type)
      message = str(parsed.error.message)
    }
  } catch {
    // not JSON: keep the text as the message below
  }
  if (message === undefined) {
    const text = body.trim()
    message = text !== '' ? text.slice(0, 500) : `Anthropic upstream returned HTTP ${status}`
  }
  let kind = kindFromErrorType(type, message) ?? kindFromStatus(status)
  if (status === 529) kind = 'overloaded'
  if (kind === 'invalid_request' && /credit balance/i.test(message)) kind = 'quota'
  return new GatewayError(kind, message, {
    upstreamStatus: status,
    upstreamBody: body,
    retryAfter: retryAfterSeconds(headers),
  })
}

/** An in-band stream `error` event payload → GatewayError. */
export function decodeStreamError(payload: unknown): GatewayError {
  const err = isRecord(payload) && isRecord(payload.error) ? payload.error : {}
  const type = str(err.type)
  const message = str(err.message) ?? 'Anthropic stream error'
  const kind = kindFromErrorType(type, message) ?? 'upstream_error'
  return new GatewayError(kind, message, { upstreamBody: JSON.stringify(payload) })
}
