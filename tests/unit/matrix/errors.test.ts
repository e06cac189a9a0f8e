/**
 * Errors across the matrix: an upstream error response → upstream decodeError → client encodeError.
 * The client gets its own dialect's status and shape, the retry delay survives, and the client's own
 * codec reads the result back as the same kind.
 */
import { describe, it, expect } from 'vitest'
import { CODECS } from '../../../server/gateway/registry'
import { PAIRS } from './helpers'
import { CLIENT_ERROR, ERROR_CASES, EXPECTED_KIND, upstreamError } from './builders/errors'

describe.each(PAIRS)('error %s client ← %s upstream', (client, upstream) => {
  it.each(ERROR_CASES)('%s', (c) => {
    const up = upstreamError(c, upstream)
    const err = CODECS[upstream].decodeError(up.status, up.body, up.headers)
    expect(err.kind).toBe(EXPECTED_KIND[c])
    expect(err.message).toBe(up.message)
    expect(err.upstreamStatus).toBe(up.status)
    expect(err.retryAfter).toBe(up.retryAfter)
    expect(err.retryable).toBe(['rate-limit-429', 'server-500', 'overloaded-529'].includes(c))

    const { status, body } = CODECS[client].encodeError(err)
    const [wantStatus, wantType] = CLIENT_ERROR[client][c]
    expect(status).toBe(wantStatus)
    const b = body as any
    const openaiBody = (d: string) => d === 'openai-chat' || d === 'openai-responses'
    if (openaiBody(client)) {
      expect(Object.keys(b)).toEqual(['error'])
      expect(b.error).toMatchObject({ message: up.message, type: wantType })
      expect(b.error.param).toBe(openaiBody(upstream) && c === 'bad-request-400' ? 'temperature' : null)
      if (c === 'auth-401') expect(b.error.code).toBe('invalid_api_key')
      if (c === 'rate-limit-429') expect(b.error.code).toBe('rate_limit_exceeded')
    } else if (client === 'anthropic') {
      expect(b).toEqual({ type: 'error', error: { type: wantType, message: up.message } })
    } else {
      expect(b.error).toMatchObject({ code: wantStatus, status: wantType, message: up.message })
      if (c === 'rate-limit-429') {
        expect(b.error.details).toEqual([{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${up.retryAfter}s` }])
      } else expect(b.error.details).toBeUndefined()
    }

    // what a client SDK (or a gateway in front of this one) reads back: the same kind and delay
    const headers = err.retryAfter !== undefined ? { 'retry-after': String(Math.ceil(err.retryAfter)) } : undefined
    const back = CODECS[client].decodeError(status, JSON.stringify(body), headers)
    expect(back.kind).toBe(EXPECTED_KIND[c] === 'upstream_error' ? 'upstream_error' : EXPECTED_KIND[c])
    if (up.retryAfter !== undefined) expect(back.retryAfter).toBe(client === 'gemini' ? up.retryAfter : Math.ceil(up.retryAfter))
  })
})
