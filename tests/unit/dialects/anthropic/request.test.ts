import { describe, it, expect } from 'vitest'
import type { IRRequest } from '../../../../server/gateway/ir'
import { GatewayError } from '../../../../server/gateway/errors'
import * as anthropicCodec from '../../../../server/gateway/dialects/anthropic'

const { decodeRequest, encodeRequest } = anthropicCodec

const WEATHER_SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }

/** A realistic multi-turn Claude Code-like request: thinking carried back, tools, images, caching. */
const FULL = {
  model: 'claude-sonnet-4-5',
  max_tokens: 16000,
  system: [
    { type: 'text', text: 'You are a helpful assistant.' },
    { type: 'text', text: 'Long cached instructions.', cache_control: { type: 'ephemeral' } },
  ],
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in these images, and the weather in Paris?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUg==' } },
        { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' }, cache_control: { type: 'ephemeral' } },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should call both tools.', signature: 'EqQBCgIYAhIMrealsig==' },
        { type: 'redacted_thinking', data: 'EmwKAhgBEgy3vaRedacted' },
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'toolu_01B', name: 'get_time', input: {} },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_01A', content: '18°C, sunny' },
        {
          type: 'tool_result',
          tool_use_id: 'toolu_01B',
          content: [
            { type: 'text', text: '12:00' },
            { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
          ],
          is_error: true,
          cache_control: { type: 'ephemeral' },
        },
        { type: 'text', text: 'Thanks! Anything else?' },
      ],
    },
  ],
  tools: [
    { name: 'get_weather', description: 'Current weather', input_schema: WEATHER_SCHEMA, cache_control: { type: 'ephemeral' } },
    { name: 'get_time', input_schema: { type: 'object', properties: {} } },
    { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
  ],
  tool_choice: { type: 'auto', disable_parallel_tool_use: true },
  thinking: { type: 'enabled', budget_tokens: 4096 },
  temperature: 1,
  stop_sequences: ['###'],
  stream: true,
  metadata: { user_id: 'user-42' },
  service_tier: 'auto',
  context_management: { edits: [{ type: 'clear_thinking_20251015' }] },
}

describe('anthropic decodeRequest', () => {
  it('decodes every modelled field', () => {
    const ir = decodeRequest(structuredClone(FULL))
    expect(ir.model).toBe('claude-sonnet-4-5')
    expect(ir.stream).toBe(true)
    expect(ir.maxTokens).toBe(16000)
    expect(ir.system).toEqual([
      { type: 'text', text: 'You are a helpful assistant.' },
      { type: 'text', text: 'Long cached instructions.', cacheControl: { type: 'ephemeral' } },
    ])
    expect(ir.messages[0]?.parts[1]).toEqual({ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUg==' } })
    expect(ir.messages[0]?.parts[2]).toEqual({ type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' }, cacheControl: { type: 'ephemeral' } })
    expect(ir.messages[1]?.parts).toEqual([
      { type: 'reasoning', text: 'I should call both tools.', signature: { origin: 'anthropic', value: 'EqQBCgIYAhIMrealsig==' } },
      { type: 'reasoning', text: '', redactedData: 'EmwKAhgBEgy3vaRedacted' },
      { type: 'text', text: 'Let me check.' },
      { type: 'tool-call', id: 'toolu_01A', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'tool-call', id: 'toolu_01B', name: 'get_time', arguments: '{}' },
    ])
    expect(ir.messages[2]?.parts[0]).toEqual({ type: 'tool-result', callId: 'toolu_01A', content: [{ type: 'text', text: '18°C, sunny' }] })
    expect(ir.messages[2]?.parts[1]).toMatchObject({ type: 'tool-result', callId: 'toolu_01B', isError: true, cacheControl: { type: 'ephemeral' } })
    expect(ir.tools).toEqual([
      { name: 'get_weather', description: 'Current weather', parameters: WEATHER_SCHEMA, cacheControl: { type: 'ephemeral' } },
      { name: 'get_time', parameters: { type: 'object', properties: {} } },
    ])
    expect(ir.toolChoice).toEqual({ type: 'auto' })
    expect(ir.parallelToolCalls).toBe(false)
    expect(ir.reasoning).toEqual({ enabled: true, budgetTokens: 4096 })
    expect(ir.temperature).toBe(1)
    expect(ir.stopSequences).toEqual(['###'])
    expect(ir.user).toBe('user-42')
    expect(ir.extras?.anthropic).toEqual({
      server_tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }],
      metadata: { user_id: 'user-42' },
      service_tier: 'auto',
      context_management: { edits: [{ type: 'clear_thinking_20251015' }] },
    })
    expect(ir.warnings?.map((w) => w.message)).toEqual(["tools[2]: Anthropic server tool 'web_search_20250305' is only kept for an Anthropic upstream"])
  })

  it('an empty signature is no signature; a wrapped foreign one keeps its origin', () => {
    const ir = decodeRequest({
      model: 'm', max_tokens: 10,
      messages: [{ role: 'assistant', content: [
        { type: 'thinking', thinking: 'a', signature: '' },
        { type: 'thinking', thinking: 'b', signature: 'rsig1.gemini.CiQBGEMINI' },
      ] }],
    })
    expect(ir.messages[0]?.parts).toEqual([
      { type: 'reasoning', text: 'a' },
      { type: 'reasoning', text: 'b', signature: { origin: 'gemini', value: 'CiQBGEMINI' } },
    ])
  })

  it('structured output: GA output_config.format and beta output_format; effort', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false }
    const ga = decodeRequest({ model: 'm', max_tokens: 10, messages: [], output_config: { format: { type: 'json_schema', schema }, effort: 'high' } })
    expect(ga.responseFormat).toEqual({ type: 'json-schema', schema })
    expect(ga.reasoning).toEqual({ enabled: true, effort: 'high' })
    const beta = decodeRequest({ model: 'm', max_tokens: 10, messages: [], output_format: { type: 'json_schema', schema } })
    expect(beta.responseFormat).toEqual({ type: 'json-schema', schema })
    expect(encodeRequest(beta).body.output_config).toEqual({ format: { type: 'json_schema', schema } })
    expect(encodeRequest(beta).headers).toBeUndefined()
  })

  it('thinking disabled / adaptive', () => {
    expect(decodeRequest({ model: 'm', max_tokens: 10, messages: [], thinking: { type: 'disabled' } }).reasoning).toEqual({ enabled: false })
    const a = decodeRequest({ model: 'm', max_tokens: 10, messages: [], thinking: { type: 'adaptive' } })
    expect(a.reasoning).toEqual({ enabled: true })
  })

  it('rejects bad input with clear messages', () => {
    const bad = (body: unknown) => {
      try {
        decodeRequest(body)
      } catch (e) {
        if (GatewayError.is(e)) return { kind: e.kind, status: e.status, message: e.message, param: e.param }
        throw e
      }
      throw new Error('expected a GatewayError')
    }
    expect(bad({ model: 'm', messages: [] })).toEqual({ kind: 'invalid_request', status: 400, message: 'max_tokens: Field required', param: 'max_tokens' })
    expect(bad({ model: 'm', max_tokens: 5 })).toMatchObject({ kind: 'invalid_request', param: 'messages' })
    expect(bad({ max_tokens: 5, messages: [] })).toMatchObject({ kind: 'invalid_request', param: 'model' })
    expect(bad('nope')).toMatchObject({ kind: 'invalid_request' })
    expect(bad({ model: 'm', max_tokens: 5, messages: [{ role: 'system', content: 'x' }] })).toMatchObject({
      kind: 'invalid_request', message: "messages[0].role: expected 'user' or 'assistant', got 'system'",
    })
    expect(bad({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'document', source: { type: 'file', file_id: 'f' } }] }] })).toEqual({
      kind: 'unsupported', status: 400, message: "messages[0].content[1].source: 'file' document sources are not supported", param: 'messages[0].content[1].source',
    })
    expect(bad({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'search_result' }] }] })).toMatchObject({
      kind: 'unsupported', message: "messages[0].content[0]: 'search_result' blocks are not supported yet",
    })
    expect(bad({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'foo' }] }] })).toMatchObject({
      kind: 'invalid_request', message: "messages[0].content[0].type: unknown content type 'foo'",
    })
    expect(bad({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'text' }] }] })).toMatchObject({
      message: 'messages[0].content[0].text: expected a string',
    })
    expect(bad({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }] })).toMatchObject({ kind: 'unsupported' })
    expect(bad({ model: 'm', max_tokens: 5, messages: [], tool_choice: { type: 'tool' } })).toMatchObject({ param: 'tool_choice.name' })
  })
})

describe('anthropic request round trip (decode → encode)', () => {
  const roundTrip = (body: Record<string, unknown>) => {
    const ir = decodeRequest(structuredClone(body))
    const enc = encodeRequest(ir)
    expect(enc.path).toBe('messages')
    return { ir, enc }
  }

  it('the full request comes back byte-equivalent', () => {
    const { enc } = roundTrip(FULL)
    expect(enc.body).toEqual(FULL)
    // and decoding it again gives the same IR
    expect(decodeRequest(structuredClone(enc.body))).toEqual(decodeRequest(structuredClone(FULL)))
  })

  it('adaptive thinking, effort, structured output, top_k, string system and content', () => {
    const body = {
      model: 'claude-opus-4-6',
      max_tokens: 2048,
      system: 'Be terse.',
      messages: [{ role: 'user', content: 'Give me JSON.' }],
      thinking: { type: 'adaptive', display: 'summarized' },
      output_config: { effort: 'high', format: { type: 'json_schema', schema: { type: 'object', properties: {} } } },
      top_k: 40,
      stream: false,
    }
    const { enc } = roundTrip(body)
    expect(enc.body).toEqual({ ...body, top_k: undefined })
    expect(enc.body.top_k).toBeUndefined() // not allowed with thinking on
  })

  it('effort without thinking does not invent a thinking config', () => {
    const body = { model: 'claude-opus-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], output_config: { effort: 'low' }, stream: false }
    expect(roundTrip(body).enc.body).toEqual(body)
  })

  it('tool_choice variants', () => {
    const base = { model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], stream: false, tools: [{ name: 't', input_schema: { type: 'object' } }] }
    for (const tc of [{ type: 'any' }, { type: 'none' }, { type: 'tool', name: 't' }, { type: 'tool', name: 't', disable_parallel_tool_use: true }]) {
      const body = { ...base, tool_choice: tc }
      expect(roundTrip(body).enc.body).toEqual(body)
    }
  })
})

describe('anthropic encodeRequest from other dialects', () => {
  const ir = (over: Partial<IRRequest>): IRRequest => ({ model: 'claude-x', stream: false, system: [], messages: [], ...over })

  it('defaults max_tokens to 8192 and sends a lone system text as a string', () => {
    const r = ir({ system: [{ type: 'text', text: 'sys' }], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }] })
    expect(encodeRequest(r).body).toEqual({ model: 'claude-x', max_tokens: 8192, system: 'sys', messages: [{ role: 'user', content: 'hi' }], stream: false })
    expect(r.warnings).toBeUndefined()
  })

  it('merges same-role turns, puts tool results first, drops unsigned/foreign reasoning with a warning', () => {
    const r = ir({
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'q' }] },
        { role: 'assistant', parts: [
          { type: 'reasoning', text: 'openai summary, no signature' },
          { type: 'reasoning', text: 'gemini thought', signature: { origin: 'gemini', value: 'G' } },
          { type: 'reasoning', text: 'claude thought', signature: { origin: 'anthropic', value: 'A' } },
          { type: 'text', text: '' },
          { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"x":1}' },
          { type: 'tool-call', id: 'fc/2:abc', name: 'g', arguments: 'not json' },
        ] },
        { role: 'user', parts: [{ type: 'tool-result', callId: 'call_1', content: [{ type: 'text', text: 'one' }] }] },
        { role: 'user', parts: [{ type: 'text', text: 'and' }, { type: 'tool-result', callId: 'fc/2:abc', content: [] }] },
        { role: 'assistant', parts: [{ type: 'reasoning', text: 'only unsigned' }] },
        { role: 'user', parts: [{ type: 'image', source: { kind: 'url', url: 'data:image/png;base64,AAAA' } }] },
      ],
    })
    const body = encodeRequest(r).body
    expect(body.messages).toEqual([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: [
        { type: 'thinking', thinking: 'claude thought', signature: 'A' },
        { type: 'tool_use', id: 'call_1', name: 'f', input: { x: 1 } },
        { type: 'tool_use', id: 'fc_2_abc', name: 'g', input: {} },
      ] },
      { role: 'user', content: [
        { type: 'tool_result', tool_use_id: 'call_1', content: 'one' },
        { type: 'tool_result', tool_use_id: 'fc_2_abc' },
        { type: 'text', text: 'and' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
      ] },
    ])
    expect(r.warnings?.map((w) => w.message)).toEqual([
      'reasoning without an Anthropic signature was dropped (Anthropic rejects it)',
      'reasoning without an Anthropic signature was dropped (Anthropic rejects it)',
      'tool call fc/2:abc (g): arguments are not a JSON object; sent as {}',
      'reasoning without an Anthropic signature was dropped (Anthropic rejects it)',
    ])
  })

  it('sampling: clamps temperature, drops top_p next to temperature, warns on unsupported knobs', () => {
    const r = ir({ temperature: 1.6, topP: 0.9, presencePenalty: 0.5, seed: 7, stopSequences: ['END'], user: 'u1', maxTokens: 300 })
    const body = encodeRequest(r).body
    expect(body).toMatchObject({ temperature: 1, max_tokens: 300, stop_sequences: ['END'], metadata: { user_id: 'u1' } })
    expect(body.top_p).toBeUndefined()
    expect(r.warnings?.map((w) => w.message)).toEqual([
      'temperature 1.6 clamped to 1 (Anthropic range is 0..1)',
      'top_p dropped: recent Claude models reject temperature and top_p together',
      'presence_penalty is not supported by Anthropic; ignored',
      'seed is not supported by Anthropic; ignored',
    ])
    expect(encodeRequest(ir({ topP: 0.8 })).body.top_p).toBe(0.8)
  })

  it('reasoning effort → thinking budget; max_tokens above it; temperature and forced tools dropped', () => {
    const r = ir({
      reasoning: { enabled: true, effort: 'high' }, temperature: 0.2,
      tools: [{ name: 'f', parameters: {} }], toolChoice: { type: 'required' }, parallelToolCalls: false,
    })
    const body = encodeRequest(r).body
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 24576 })
    expect(body.max_tokens).toBe(24576 + 4096)
    expect(body.temperature).toBeUndefined()
    expect(body.tools).toEqual([{ name: 'f', input_schema: { type: 'object', properties: {} } }])
    expect(body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true })
    expect(r.warnings?.map((w) => w.message)).toEqual([
      "tool_choice 'any' is incompatible with Anthropic thinking; sent as 'auto'",
      'temperature 0.2 dropped: Anthropic thinking only allows 1',
    ])
    const small = ir({ reasoning: { enabled: true, budgetTokens: 500 }, maxTokens: 800 })
    const b2 = encodeRequest(small).body
    expect(b2.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 })
    expect(b2.max_tokens).toBe(1024 + 4096)
    expect(encodeRequest(ir({ reasoning: { enabled: false } })).body.thinking).toEqual({ type: 'disabled' })
    expect(encodeRequest(ir({ reasoning: { enabled: true, effort: 'minimal' } })).body.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 })
  })

  it('tool choice mapping and response formats', () => {
    const tools = [{ name: 'f', parameters: { type: 'object' }, strict: true }]
    expect(encodeRequest(ir({ tools, toolChoice: { type: 'none' } })).body.tool_choice).toEqual({ type: 'none' })
    expect(encodeRequest(ir({ tools, toolChoice: { type: 'required' } })).body.tool_choice).toEqual({ type: 'any' })
    expect(encodeRequest(ir({ tools, toolChoice: { type: 'tool', name: 'f' } })).body.tool_choice).toEqual({ type: 'tool', name: 'f' })
    expect(encodeRequest(ir({ tools })).body.tools).toEqual([{ name: 'f', input_schema: { type: 'object' }, strict: true }])
    const schema = { type: 'object', properties: { n: { type: 'number' } } }
    expect(encodeRequest(ir({ responseFormat: { type: 'json-schema', name: 'x', schema } })).body.output_config).toEqual({
      format: { type: 'json_schema', schema },
    })
    const j = ir({ responseFormat: { type: 'json' } })
    expect(encodeRequest(j).body.output_config).toBeUndefined()
    expect(j.warnings?.map((w) => w.message)).toEqual(['response_format json (no schema) has no Anthropic equivalent; ignored'])
  })
})
