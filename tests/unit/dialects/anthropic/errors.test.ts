import { describe, it, expect } from 'vitest'
import { GatewayError, type GatewayErrorKind } from '../../../../server/gateway/errors'
import * as anthropicCodec from '../../../../server/gateway/dialects/anthropic'

const { decodeError, encodeError } = anthropicCodec
const body = (type: string, message: string) =>
  JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_011CVXEc1pdn4pBywEv3mkNd' })

describe('anthropic decodeError', () => {
  it('maps real error bodies by error.type', () => {
    const cases: Array<[number, string, string, GatewayErrorKind]> = [
      [400, 'invalid_request_error', 'temperature and top_p cannot both be specified for this model. Please use only one.', 'invalid_request'],
      [400, 'invalid_request_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.', 'quota'],
      [401, 'authentication_error', 'invalid x-api-key', 'authentication'],
      [402, 'billing_error', 'Billing issue', 'quota'],
      [403, 'permission_error', 'Your API key does not have permission to use the specified resource.', 'permission'],
      [404, 'not_found_error', 'model: claude-nope', 'not_found'],
      [413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.', 'payload_too_large'],
      [429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', 'rate_limit'],
      [500, 'api_error', 'Internal server error', 'upstream_error'],
      [504, 'timeout_error', 'Request timed out', 'timeout'],
      [529, 'overloaded_error', 'Overloaded', 'overloaded'],
    ]
    for (const [status, type, message, kind] of cases) {
      const raw = body(type, message)
      const e = decodeError(status, raw)
      expect(e.kind, type).toBe(kind)
      expect(e.message).toBe(message)
      expect(e.upstreamStatus).toBe(status)
      expect(e.upstreamBody).toBe(raw)
    }
  })

  it('falls back to the status; 529 is always overloaded; retry-after is read', () => {
    expect(decodeError(529, 'upstream connect error').kind).toBe('overloaded')
    expect(decodeError(529, body('api_error', 'x')).kind).toBe('overloaded')
    const html = decodeError(502, '<html>Bad Gateway</html>')
    expect(html.kind).toBe('upstream_error')
    expect(html.message).toBe('<html>Bad Gateway</html>')
    expect(decodeError(503, '').message).toBe('Anthropic upstream returned HTTP 503')
    expect(decodeError(429, body('rate_limit_error', 'slow down'), { 'Retry-After': '17' }).retryAfter).toBe(17)
    expect(decodeError(429, body('rate_limit_error', 'slow down'), { 'retry-after': ['3'] }).retryAfter).toBe(3)
    expect(decodeError(429, body('rate_limit_error', 'slow down')).retryAfter).toBeUndefined()
    expect(decodeError(429, body('rate_limit_error', 'x')).retryable).toBe(true)
  })
})

describe('anthropic encodeError', () => {
  it('renders every kind in the Anthropic shape', () => {
    const expected: Record<GatewayErrorKind, [number, string]> = {
      invalid_request: [400, 'invalid_request_error'],
      authentication: [401, 'authentication_error'],
      permission: [403, 'permission_error'],
      not_found: [404, 'not_found_error'],
      payload_too_large: [413, 'request_too_large'],
      rate_limit: [429, 'rate_limit_error'],
      quota: [429, 'rate_limit_error'],
      overloaded: [529, 'overloaded_error'],
      upstream_error: [502, 'api_error'],
      timeout: [504, 'timeout_error'],
      connection: [502, 'api_error'],
      unsupported: [400, 'invalid_request_error'],
      unavailable: [503, 'overloaded_error'],
      internal: [500, 'api_error'],
    }
    for (const [kind, [status, type]] of Object.entries(expected) as Array<[GatewayErrorKind, [number, string]]>) {
      const out = encodeError(new GatewayError(kind, `boom`))
      expect(out.status, kind).toBe(status)
      const message = kind === 'quota' ? 'Quota exceeded: boom' : 'boom'
      expect(out.body).toEqual({ type: 'error', error: { type, message } })
    }
  })

  it('a decoded upstream error re-encodes to the same type', () => {
    const e = decodeError(529, body('overloaded_error', 'Overloaded'))
    expect(encodeError(e)).toEqual({ status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } })
    const q = decodeError(400, body('invalid_request_error', 'Your credit balance is too low'))
    expect(encodeError(q).body).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Your credit balance is too low' } })
  })
})
