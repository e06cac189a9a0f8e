import { describe, expect, it } from 'vitest'
import { header, parseRetryAfter, retryAfterSeconds } from '../../../../server/gateway/dialects/_shared/headers'
import { CODECS } from '../../../../server/gateway/registry'

/** Issue 20 item 1: one retry-after reading for every dialect (it was parsed three ways). */
describe('shared retry-after', () => {
  it('reads delta-seconds, an HTTP date, and refuses anything else', () => {
    expect(parseRetryAfter('7')).toBe(7)
    expect(parseRetryAfter('-3')).toBe(0)
    expect(parseRetryAfter(' ')).toBeUndefined()
    expect(parseRetryAfter('soon')).toBeUndefined()
    const inAMinute = new Date(Date.now() + 60_000).toUTCString()
    expect(parseRetryAfter(inAMinute)).toBeGreaterThan(55)
    expect(parseRetryAfter(inAMinute)).toBeLessThanOrEqual(60)
  })

  it('prefers retry-after-ms, finds headers by any case and takes the first of repeated ones', () => {
    expect(retryAfterSeconds({ 'retry-after-ms': '1500', 'retry-after': '9' })).toBe(1.5)
    expect(retryAfterSeconds({ 'Retry-After': ['4', '8'] })).toBe(4)
    expect(retryAfterSeconds({})).toBeUndefined()
    expect(retryAfterSeconds(undefined)).toBeUndefined()
    expect(header({ 'X-Thing': 'a' }, 'x-thing')).toBe('a')
  })

  it.each(['openai-chat', 'openai-responses', 'anthropic', 'gemini'] as const)('%s decodeError reads it the same way', (d) => {
    const codec = CODECS[d]
    expect(codec.decodeError(429, '{}', { 'retry-after': '12' }).retryAfter).toBe(12)
    expect(codec.decodeError(429, '{}', { 'retry-after-ms': '250' }).retryAfter).toBe(0.25)
    expect(codec.decodeError(429, '{}', {}).retryAfter).toBeUndefined()
  })
})
