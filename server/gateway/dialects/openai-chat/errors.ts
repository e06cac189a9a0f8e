import type { EncodedError } from '../../codec'
import { DEFAULT_STATUS, GatewayError, kindFromStatus, type GatewayErrorKind } from '../../errors'
import { isRecord, num, str, type Json } from './wire'
import { retryAfterSeconds, type WireHeaders } from '../_shared/headers'


/** GatewayError kind → OpenAI `error.type` and `error.code`. */
const WIRE: Record<GatewayErrorKind, { type: string; code: string | null }> = {
  invalid_request: { type: 'invalid_request_error', code: null },
  authentication: { type: 'authentication_error', code: 'invalid_api_key' },
  permission: { type: 'permission_error', code: null },
  not_found: { type: 'not_found_error', code: 'model_not_found' },
  payload_too_large: { type: 'invalid_request_error', code: null },
  rate_limit: { type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  quota: { type: 'insufficient_quota', code: 'insufficient_quota' },
  overloaded: { type: 'server_error', code: null },
  upstream_error: { type: 'server_error', code: null },
  timeout: { type: 'server_error', code: null },
  connection: { type: 'server_error', code: null },
  unsupported: { type: 'invalid_request_error', code: 'unsupported_content' },
  unavailable: { type: 'server_error', code: null },
  internal: { type: 'server_error', code: null },
}

export function encodeError(err: GatewayError): EncodedError {
  const w = WIRE[err.kind] ?? WIRE.internal
  // OpenAI clients do not know 529.
  const status = err.status === 529 ? 503 : err.status
  return { status, body: { error: { message: err.message, type: w.type, param: err.param ?? null, code: w.code } } }
}

/** error.code / error.type values that say more than the HTTP status. */
const KIND_BY_CODE: Record<string, GatewayErrorKind> = {
  insufficient_quota: 'quota',
  invalid_api_key: 'authentication',
  authentication_error: 'authentication',
  permission_error: 'permission',
  model_not_found: 'not_found',
  context_length_exceeded: 'invalid_request',
  rate_limit_exceeded: 'rate_limit',
  rate_limit_error: 'rate_limit',
}

interface WireError {
  message?: string
  type?: string
  code?: string | number
  param?: string
}

/** The error object of a body: `{error:{...}}`, `[{error:{...}}]` (Gemini), `{error:"..."}` (Ollama), `{message}` (vLLM). */
export function readWireError(parsed: unknown): WireError | undefined {
  const root: unknown = Array.isArray(parsed) ? parsed[0] : parsed
  if (!isRecord(root)) return undefined
  if (typeof root.error === 'string') return { message: root.error }
  const e: Json = isRecord(root.error) ? root.error : root
  const out: WireError = {}
  const message = str(e.message) ?? str(root.detail)
  if (message !== undefined) out.message = message
  const type = str(e.type)
  if (type !== undefined) out.type = type
  const code = str(e.code) ?? num(e.code)
  if (code !== undefined) out.code = code
  const param = str(e.param)
  if (param !== undefined) out.param = param
  return out.message !== undefined || out.type !== undefined || out.code !== undefined ? out : undefined
}

export function kindFromWire(e: WireError | undefined): GatewayErrorKind | undefined {
  if (!e) return undefined
  if (typeof e.code === 'string' && KIND_BY_CODE[e.code]) return KIND_BY_CODE[e.code]
  if (e.type && KIND_BY_CODE[e.type]) return KIND_BY_CODE[e.type]
  return undefined
}

export function decodeError(status: number, body: string, headers: WireHeaders = {}): GatewayError {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    parsed = undefined
  }
  const e = readWireError(parsed)
  const kind = kindFromWire(e) ?? kindFromStatus(status)
  const text = body.trim()
  const message = e?.message || (text ? text.slice(0, 500) : `upstream returned HTTP ${status}`)
  return new GatewayError(kind, message, {
    upstreamStatus: status,
    upstreamBody: body,
    retryAfter: retryAfterSeconds(headers),
    param: e?.param,
  })
}

/** An in-band stream error (`data: {"error":{...}}`): status 500 unless its code says otherwise. */
export function streamError(payload: unknown): GatewayError {
  const e = readWireError(payload)
  const numeric = typeof e?.code === 'number' && e.code >= 400 && e.code < 600 ? e.code : undefined
  const kind = kindFromWire(e) ?? (numeric ? kindFromStatus(numeric) : 'upstream_error')
  const status = kindFromWire(e) ? DEFAULT_STATUS[kind] : (numeric ?? 500)
  return new GatewayError(kind, e?.message || 'upstream stream error', {
    status,
    upstreamStatus: numeric,
    upstreamBody: JSON.stringify(payload),
    param: e?.param,
  })
}
