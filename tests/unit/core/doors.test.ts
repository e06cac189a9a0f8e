import { describe, expect, it } from 'vitest'
import { doorFor } from '../../../server/gateway/http/doors'

describe('public doors from the URL', () => {
  it.each([
    ['/v1/chat/completions', { dialect: 'openai-chat', query: '' }],
    ['/v1/messages?beta=true', { dialect: 'anthropic', query: 'beta=true' }],
    ['/v1/responses', { dialect: 'openai-responses', query: '' }],
    ['/v1/deepseek/chat/completions', { dialect: 'openai-chat', query: '', forcedProvider: 'deepseek' }],
    ['/v1/my-ollama/completions', { dialect: 'openai-chat', query: '', forcedProvider: 'my-ollama' }],
    [
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=k',
      { dialect: 'gemini', query: 'alt=sse&key=k', gemini: { model: 'gemini-2.5-flash', stream: true, sse: true } },
    ],
    ['/v1beta/models/gemini-2.5-flash:streamGenerateContent', { dialect: 'gemini', query: '', gemini: { model: 'gemini-2.5-flash', stream: true, sse: false } }],
    ['/v1/models/gm%3Atext:generateContent', { dialect: 'gemini', query: '', gemini: { model: 'gm:text', stream: false, sse: false } }],
  ])('%s', (url, door) => expect(doorFor(url)).toEqual(door))

  it('leaves everything else to the Nitro router', () => {
    for (const url of ['/v1/models', '/v1/models/gpt-4o', '/v1beta/models', '/admin', '/api/trpc/health.get', '/v1/a/b/c', '/health'])
      expect(doorFor(url)).toBeUndefined()
  })

  it('flags a Gemini method we do not serve', () => {
    expect(doorFor('/v1beta/models/x:predict')).toMatchObject({ refused: 'unknown-method', dialect: 'gemini' })
  })

  it('refuses malformed percent-encoding in the path in the door\'s dialect instead of throwing', () => {
    expect(doorFor('/v1beta/models/%E0%A4%A:generateContent')).toMatchObject({ refused: 'bad-encoding', dialect: 'gemini', message: expect.stringContaining('percent-encoding') })
    expect(doorFor('/v1/models/gm%:countTokens?alt=sse')).toMatchObject({ refused: 'bad-encoding', dialect: 'gemini' })
    expect(doorFor('/v1/%E0%A4%A/chat/completions')).toMatchObject({ refused: 'bad-encoding', dialect: 'openai-chat' })
    // Not a door at all (no method): still the router's business, which answers 404.
    expect(doorFor('/v1/models/%E0%A4%A')).toBeUndefined()
  })

  it('quotes an overlong path back capped', () => {
    const r = doorFor(`/v1beta/models/${'x'.repeat(10_000)}:predict`) as { message: string }
    expect(r.message.length).toBeLessThan(400)
  })
})
