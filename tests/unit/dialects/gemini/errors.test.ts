import { describe, it, expect } from 'vitest'
import { fixtureText } from '../../../helpers/fixtures'
import { replay } from './helpers'
import * as geminiCodec from '../../../../server/gateway/dialects/gemini'
import { GatewayError, type GatewayErrorKind } from '../../../../server/gateway/errors'

/** A Google RPC error body as Gemini sends it (`details` only when given). */
function rpcError(code: number, status: string, message = 'm', details?: unknown[]): string {
  return JSON.stringify({ error: { code, message, status, ...(details ? { details } : {}) } })
}

describe('gemini decodeError', () => {
  it('429 with QuotaFailure (per minute) and RetryInfo → rate_limit, retryAfter 34.4', () => {
    const body = fixtureText('gemini-chunks/vercel-google-429-retry-info.json')
    const e = geminiCodec.decodeError(429, body)
    expect(e.kind).toBe('rate_limit')
    expect(e.retryAfter).toBe(34.4)
    expect(e.message).toBe('You exceeded your current quota, please check your plan.')
    expect(e.upstreamStatus).toBe(429)
    expect(e.upstreamBody).toBe(body)
    expect(e.retryable).toBe(true)
  })

  it('a per-day quota is quota; retry-after header is the fallback', () => {
    const body = rpcError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded', [
      { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }] },
    ])
    const e = geminiCodec.decodeError(429, body, { 'Retry-After': '7' })
    expect(e.kind).toBe('quota')
    expect(e.retryAfter).toBe(7)
  })

  it('the recorded 404 (stream with error) → not_found', () => {
    const [i] = replay('js-genai-Chats_Tests_sendMessage_Send_message_stream_with_error.json')
    const e = geminiCodec.decodeError(i!.statusCode, JSON.stringify(i!.responseBodies[0]))
    expect(e.kind).toBe('not_found')
    expect(e.message).toMatch(/^models\/custom-gemini-2\.0-flash is not found/)
  })

  it('bad API key (400 API_KEY_INVALID) → authentication; other statuses', () => {
    const keyBody = rpcError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
    ])
    expect(geminiCodec.decodeError(400, keyBody).kind).toBe('authentication')
    expect(geminiCodec.decodeError(400, rpcError(400, 'INVALID_ARGUMENT')).kind).toBe('invalid_request')
    expect(geminiCodec.decodeError(403, rpcError(403, 'PERMISSION_DENIED')).kind).toBe('permission')
    expect(geminiCodec.decodeError(503, rpcError(503, 'UNAVAILABLE')).kind).toBe('overloaded')
    expect(geminiCodec.decodeError(500, rpcError(500, 'INTERNAL')).kind).toBe('upstream_error')
    expect(geminiCodec.decodeError(504, rpcError(504, 'DEADLINE_EXCEEDED')).kind).toBe('timeout')
    // not JSON at all
    const html = geminiCodec.decodeError(502, '<html>Bad Gateway</html>')
    expect(html.kind).toBe('upstream_error')
    expect(html.message).toBe('<html>Bad Gateway</html>')
    // a failed non-SSE stream: the error inside a JSON array
    expect(geminiCodec.decodeError(429, `[${rpcError(429, 'RESOURCE_EXHAUSTED')}]`).kind).toBe('rate_limit')
  })
})

describe('gemini encodeError', () => {
  const cases: Array<[GatewayErrorKind, number, string]> = [
    ['invalid_request', 400, 'INVALID_ARGUMENT'],
    ['authentication', 401, 'UNAUTHENTICATED'],
    ['permission', 403, 'PERMISSION_DENIED'],
    ['not_found', 404, 'NOT_FOUND'],
    ['payload_too_large', 413, 'INVALID_ARGUMENT'],
    ['rate_limit', 429, 'RESOURCE_EXHAUSTED'],
    ['quota', 429, 'RESOURCE_EXHAUSTED'],
    ['overloaded', 503, 'UNAVAILABLE'],
    ['upstream_error', 502, 'INTERNAL'],
    ['timeout', 504, 'DEADLINE_EXCEEDED'],
    ['connection', 502, 'UNAVAILABLE'],
    ['unsupported', 400, 'INVALID_ARGUMENT'],
    ['unavailable', 503, 'UNAVAILABLE'],
    ['internal', 500, 'INTERNAL'],
  ]
  it.each(cases)('%s → %i %s', (kind, code, status) => {
    const enc = geminiCodec.encodeError(new GatewayError(kind, `boom ${kind}`))
    expect(enc).toEqual({ status: code, body: { error: { code, message: `boom ${kind}`, status } } })
  })

  it('RetryInfo when retryAfter is known; upstream 5xx status kept, 529 → 503', () => {
    const enc = geminiCodec.encodeError(new GatewayError('rate_limit', 'slow', { retryAfter: 12.5 }))
    expect(enc.body).toEqual({
      error: { code: 429, message: 'slow', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12.5s' }] },
    })
    // and our own decoder reads it back
    const back = geminiCodec.decodeError(enc.status, JSON.stringify(enc.body))
    expect(back.kind).toBe('rate_limit')
    expect(back.retryAfter).toBe(12.5)
    expect(geminiCodec.encodeError(new GatewayError('upstream_error', 'x', { status: 500 })).status).toBe(500)
    expect(geminiCodec.encodeError(new GatewayError('upstream_error', 'x', { status: 529 })).body).toEqual({ error: { code: 503, message: 'x', status: 'UNAVAILABLE' } })
  })
})
