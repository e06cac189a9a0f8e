import { describe, expect, it } from 'vitest'
import { buildPlaygroundRequest, responseText, streamEventText, takeSseData } from '../../../utils/playground'
import { curlFor } from '../../../composables/curl'

const base = { model: 'm1', prompt: 'hi', system: '', stream: true, key: 'rk-123' }

describe('playground requests', () => {
  it('speaks each dialect the way its SDK does', () => {
    const chat = buildPlaygroundRequest('openai-chat', { ...base, system: 'be brief' })
    expect(chat.url).toBe('/v1/chat/completions')
    expect(chat.headers.authorization).toBe('Bearer rk-123')
    expect(chat.body.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
    ])
    const ant = buildPlaygroundRequest('anthropic', base)
    expect(ant.url).toBe('/v1/messages')
    expect(ant.headers['x-api-key']).toBe('rk-123')
    expect(ant.headers['anthropic-version']).toBe('2023-06-01')
    expect(ant.body.max_tokens).toBe(1024)
    const gem = buildPlaygroundRequest('gemini', { ...base, model: 'gemini 2/x' })
    expect(gem.url).toBe('/v1beta/models/gemini%202%2Fx:streamGenerateContent?alt=sse')
    expect(gem.headers['x-goog-api-key']).toBe('rk-123')
    expect(buildPlaygroundRequest('gemini', { ...base, stream: false }).url).toBe('/v1beta/models/m1:generateContent')
    const resp = buildPlaygroundRequest('openai-responses', { ...base, system: 'sys' })
    expect(resp.body).toEqual({ model: 'm1', input: 'hi', instructions: 'sys', stream: true })
  })

  it('reads text out of each dialect’s stream events and whole answers', () => {
    expect(streamEventText('openai-chat', { choices: [{ delta: { content: 'He' } }] })).toBe('He')
    expect(streamEventText('openai-responses', { type: 'response.output_text.delta', delta: 'llo' })).toBe('llo')
    expect(streamEventText('openai-responses', { type: 'response.created' })).toBe('')
    expect(streamEventText('anthropic', { type: 'content_block_delta', delta: { type: 'text_delta', text: 'x' } })).toBe('x')
    expect(streamEventText('anthropic', { type: 'content_block_delta', delta: { type: 'thinking_delta', thinking: 'no' } })).toBe('')
    expect(streamEventText('gemini', { candidates: [{ content: { parts: [{ text: 'a', thought: true }, { text: 'b' }] } }] })).toBe('b')
    expect(responseText('anthropic', { content: [{ type: 'thinking' }, { type: 'text', text: 'done' }] })).toBe('done')
    expect(responseText('openai-responses', { output: [{ type: 'message', content: [{ type: 'output_text', text: 'ok' }] }] })).toBe('ok')
  })

  it('splits SSE into data payloads and keeps the unfinished tail', () => {
    const r = takeSseData('event: a\ndata: {"x":1}\n\ndata: [DONE]\n\ndata: {"par')
    expect(r.data).toEqual(['{"x":1}', '[DONE]'])
    expect(r.rest).toBe('data: {"par')
    expect(takeSseData('data: one\r\n\r\n').data).toEqual(['one'])
  })
})

describe('copy as curl', () => {
  it('repeats the call with the key as a shell variable and the body quoted safely', () => {
    const c = curlFor('http://gw:3000', { dialect: 'anthropic', model: 'claude', stream: false }, { messages: [{ content: "it's" }] })
    expect(c).toContain("curl 'http://gw:3000/v1/messages'")
    expect(c).toContain('-H "x-api-key: $ROSETTA_KEY"')
    expect(c).toContain(`-d '{"messages":[{"content":"it'\\''s"}]}'`)
    const g = curlFor('http://gw', { dialect: 'gemini', model: 'gm', stream: true }, {})
    expect(g).toContain("curl -N 'http://gw/v1beta/models/gm:streamGenerateContent?alt=sse'")
    expect(curlFor('http://gw', { dialect: 'openai-chat', model: 'x', stream: false }, '{"a":1}')).toContain('-H "authorization: Bearer $ROSETTA_KEY"')
  })
})
