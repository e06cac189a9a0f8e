import { describe, it, expect } from 'vitest'
import * as codec from '../../../../server/gateway/dialects/openai-responses'
import { GatewayError, type GatewayErrorKind } from '../../../../server/gateway/errors'
import { fixtureText } from '../../../helpers/fixtures'

describe('openai-responses errors', () => {
  it('decodes the recorded quota error body', () => {
    const err = codec.decodeError(429, fixtureText('openai-responses/vercel-openai-error.1.json'), { 'retry-after': '3' })
    expect(err.kind).toBe('quota')
    expect(err.message).toMatch(/^You exceeded your current quota/)
    expect(err.upstreamStatus).toBe(429)
    expect(err.retryAfter).toBe(3)
  })

  it('decodes statuses without a body and a context-length error', () => {
    expect(codec.decodeError(401, '').kind).toBe('authentication')
    expect(codec.decodeError(503, 'upstream down').kind).toBe('overloaded')
    const ctx = codec.decodeError(400, JSON.stringify({ error: { message: 'too long', type: 'invalid_request_error', param: 'input', code: 'context_length_exceeded' } }))
    expect(ctx).toMatchObject({ kind: 'invalid_request', param: 'input', message: 'too long' })
  })

  it('encodes every kind in the OpenAI error shape', () => {
    const kinds: GatewayErrorKind[] = [
      'invalid_request', 'authentication', 'permission', 'not_found', 'payload_too_large', 'rate_limit', 'quota',
      'overloaded', 'upstream_error', 'timeout', 'connection', 'unsupported', 'unavailable', 'internal',
    ]
    for (const kind of kinds) {
      const { status, body } = codec.encodeError(new GatewayError(kind, `msg ${kind}`, { param: 'input' }))
      const w = (body as { error: { code: string | null } }).error
      expect(status).toBeGreaterThanOrEqual(400)
      expect(status).not.toBe(529)
      expect(body).toEqual({ error: { message: `msg ${kind}`, type: expect.any(String), param: 'input', code: w.code } })
      expect(w.code === null || typeof w.code === 'string').toBe(true)
      const back = codec.decodeError(status, JSON.stringify(body))
      if (kind === 'invalid_request' || kind === 'rate_limit' || kind === 'quota' || kind === 'authentication') expect(back.kind).toBe(kind)
    }
  })
})
