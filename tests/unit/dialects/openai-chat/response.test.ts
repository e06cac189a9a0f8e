import { describe, expect, it } from 'vitest'
import * as openaiChatCodec from '../../../../server/gateway/dialects/openai-chat'
import { GatewayError } from '../../../../server/gateway/errors'
import { fixtureJson } from '../../../helpers/fixtures'
import { anthropicAnswer } from '../../../helpers/ir-blocks'

const { decodeResponse, encodeResponse } = openaiChatCodec

describe('openai-chat decodeResponse: recorded bodies', () => {
  it('OpenAI text', () => {
    const body = fixtureJson('openai-chat-chunks/vercel-openai-text.json')
    const res = decodeResponse(body)
    expect(res.id).toBe('chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU')
    expect(res.model).toBe('gpt-4.1-nano-2025-04-14')
    expect(res.created).toBe(1770933883)
    expect(res.parts).toHaveLength(1)
    expect(res.parts[0]!.type).toBe('text')
    expect(res.parts[0]).toEqual({ type: 'text', text: body.choices[0].message.content })
    expect((res.parts[0] as { text: string }).text.startsWith('**Holiday Name:** Galaxy Day')).toBe(true)
    expect(res.finish).toEqual({ unified: 'stop', raw: 'stop', rawDialect: 'openai-chat' })
    expect(res.usage).toEqual({ inputTokens: 16, outputTokens: 363, cacheReadTokens: 0, reasoningTokens: 0 })
    expect(res.extras).toEqual({ 'openai-chat': { system_fingerprint: 'fp_de604bd877', service_tier: 'default' } })
  })

  it('DeepSeek reasoning + tool call', () => {
    const res = decodeResponse(fixtureJson('openai-compatible-chat/vercel-deepseek-tool-call.json'))
    expect(res.parts.map((p) => p.type)).toEqual(['reasoning', 'tool-call'])
    expect((res.parts[0] as { text: string }).text.startsWith('The user is asking for the weather in San Francisco.')).toBe(true)
    expect(res.parts[1]).toEqual({
      type: 'tool-call',
      id: 'call_00_9V0vrf86Pc9aelHCJMZqnJBo',
      name: 'weather',
      arguments: '{"location": "San Francisco"}',
    })
    expect(res.finish.unified).toBe('tool-calls')
    expect(res.usage).toEqual({ inputTokens: 339, outputTokens: 92, cacheReadTokens: 320, reasoningTokens: 48 })
  })

  it('xAI reasoning + tool call (reasoning tokens outside completion_tokens)', () => {
    const res = decodeResponse(fixtureJson('openai-compatible-chat/vercel-xai-tool-call.json'))
    expect(res.parts.map((p) => p.type)).toEqual(['reasoning', 'tool-call'])
    expect(res.parts[1]).toEqual({ type: 'tool-call', id: 'call_46427107', name: 'weather', arguments: '{"location":"San Francisco"}' })
    // total 588 = 307 + 26 + 255
    expect(res.usage).toEqual({ inputTokens: 307, outputTokens: 281, cacheReadTokens: 244, reasoningTokens: 255 })
  })

  it('a refusal is text with a content-filter finish', () => {
    const res = decodeResponse({
      id: 'chatcmpl-r',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: "I'm sorry, I can't help with that." }, finish_reason: 'stop' }],
    })
    expect(res.parts).toEqual([{ type: 'text', text: "I'm sorry, I can't help with that." }])
    expect(res.finish).toEqual({ unified: 'content-filter', raw: 'stop', rawDialect: 'openai-chat' })
    expect(res.usage).toEqual({ inputTokens: 0, outputTokens: 0 })
  })

  it('a 200 with an error body throws', () => {
    expect(() => decodeResponse({ error: { message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota' } })).toThrow(GatewayError)
  })
})

describe('openai-chat encodeResponse', () => {
  for (const file of [
    'openai-chat-chunks/vercel-openai-text.json',
    'openai-compatible-chat/vercel-deepseek-tool-call.json',
    'openai-compatible-chat/vercel-xai-tool-call.json',
  ]) {
    it(`re-encodes ${file}`, () => {
      const original = fixtureJson(file)
      const ir = decodeResponse(original)
      const out = encodeResponse(ir, 'client-model') as any
      expect(out.id).toBe(original.id)
      expect(out.object).toBe('chat.completion')
      expect(out.created).toBe(original.created)
      expect(out.model).toBe('client-model')
      expect(out.system_fingerprint).toBe(original.system_fingerprint)
      const o = original.choices[0]
      const c = out.choices[0]
      expect(c.index).toBe(0)
      expect(c.finish_reason).toBe(o.finish_reason)
      expect(c.logprobs).toBeNull()
      expect(c.message.role).toBe('assistant')
      expect(c.message.content ?? '').toBe(o.message.content ?? '')
      expect(c.message.refusal).toBeNull()
      expect(c.message.reasoning_content).toBe(o.message.reasoning_content)
      expect(c.message.reasoning_details).toBeUndefined()
      expect((c.message.tool_calls ?? []).map((t: any) => [t.id, t.type, t.function.name, t.function.arguments])).toEqual(
        (o.message.tool_calls ?? []).map((t: any) => [t.id, 'function', t.function.name, t.function.arguments]),
      )
      expect(out.usage.prompt_tokens).toBe(original.usage.prompt_tokens)
      expect(out.usage.prompt_tokens_details.cached_tokens).toBe(original.usage.prompt_tokens_details.cached_tokens)
      expect(out.usage.completion_tokens_details.reasoning_tokens).toBe(original.usage.completion_tokens_details.reasoning_tokens)
      expect(out.usage.total_tokens).toBe(original.usage.total_tokens)
      expect(decodeResponse(out)).toEqual({ ...ir, model: 'client-model' })
    })
  }

  it('carries signatures and redacted reasoning so they come back through the decoders', () => {
    const ir = anthropicAnswer(
      [
        { type: 'reasoning', text: 'Let me think. ', signature: { origin: 'anthropic', value: 'EqQBCkYIBxgC' } },
        { type: 'reasoning', text: '', redactedData: 'ErUBCkYIARgCIkB' },
        { type: 'text', text: 'Calling the tool.' },
        { type: 'tool-call', id: 'toolu_01', name: 'get_weather', arguments: '{"city":"Paris"}', signature: { origin: 'gemini', value: 'CiQB0e2K' } },
      ],
      { unified: 'tool-calls', raw: 'tool_use' },
      { inputTokens: 100, outputTokens: 40, cacheReadTokens: 60, reasoningTokens: 12 },
    )
    const out = encodeResponse(ir, 'my-model') as any
    const msg = out.choices[0].message
    expect(msg.content).toBe('Calling the tool.')
    expect(msg.reasoning_content).toBe('Let me think. ')
    expect(msg.reasoning_details).toEqual([
      { type: 'reasoning.text', text: 'Let me think. ', signature: 'rsig1.anthropic.EqQBCkYIBxgC', format: 'anthropic-claude-v1' },
      { type: 'reasoning.encrypted', data: 'rsig1.anthropic.ErUBCkYIARgCIkB', format: 'anthropic-claude-v1' },
    ])
    expect(msg.tool_calls).toEqual([
      {
        id: 'toolu_01',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        extra_content: { google: { thought_signature: 'rsig1.gemini.CiQB0e2K' } },
      },
    ])
    expect(out.choices[0].finish_reason).toBe('tool_calls')
    expect(out.usage).toEqual({
      prompt_tokens: 100,
      completion_tokens: 40,
      total_tokens: 140,
      prompt_tokens_details: { cached_tokens: 60 },
      completion_tokens_details: { reasoning_tokens: 12 },
    })
    // Response decoder gets everything back…
    const back = decodeResponse(out)
    expect(back.parts).toEqual(ir.parts)
    // …and so does the request decoder when the client echoes the message on the next turn.
    const req = openaiChatCodec.decodeRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }, msg] })
    expect(req.messages[1]!.parts).toEqual(ir.parts)
  })

  it('writes content null when there is no text', () => {
    const out = encodeResponse(
      { id: 'x', model: 'm', created: 1, parts: [], finish: { unified: 'length' }, usage: { inputTokens: 1, outputTokens: 2 } },
      'm',
    ) as any
    expect(out.choices[0].message).toEqual({ role: 'assistant', content: null, refusal: null })
    expect(out.choices[0].finish_reason).toBe('length')
  })
})
