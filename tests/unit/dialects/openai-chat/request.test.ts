import { describe, expect, it } from 'vitest'
import * as openaiChatCodec from '../../../../server/gateway/dialects/openai-chat'
import { GatewayError } from '../../../../server/gateway/errors'
import type { IRRequest } from '../../../../server/gateway/ir'

const { decodeRequest, encodeRequest } = openaiChatCodec

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk'

/** A realistic agent turn: system + developer, images, reasoning carried back, parallel tool calls and results. */
function agentRequest(): Record<string, unknown> {
  return {
    model: 'gpt-4.1',
    messages: [
      { role: 'system', content: 'You are a weather assistant.' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in metric.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture, and what is the weather there?' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'low' } },
          { type: 'image_url', image_url: { url: 'https://example.com/paris.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'The picture shows the Eiffel Tower, so Paris.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{"tz":"Europe/Paris"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '18°C, cloudy' },
      { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '14:05' }] },
      { role: 'assistant', content: 'It is 18°C and cloudy in Paris at 14:05.' },
      { role: 'user', content: 'And tomorrow?' },
    ],
    tools: [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          strict: true,
        },
      },
      { type: 'function', function: { name: 'get_time' } },
    ],
    tool_choice: 'auto',
    parallel_tool_calls: true,
    max_completion_tokens: 1024,
    temperature: 0.2,
    top_p: 0.9,
    stop: ['\n\nUser:'],
    presence_penalty: 0.1,
    frequency_penalty: 0.3,
    seed: 42,
    n: 1,
    response_format: {
      type: 'json_schema',
      json_schema: { name: 'forecast', description: 'A forecast', schema: { type: 'object', properties: { temp: { type: 'number' } } }, strict: true },
    },
    reasoning_effort: 'low',
    stream: true,
    stream_options: { include_usage: true },
    user: 'user-1234',
    logprobs: true,
    top_logprobs: 2,
    metadata: { session: 'abc' },
    store: false,
    service_tier: 'flex',
  }
}

describe('openai-chat decodeRequest', () => {
  it('decodes a full agent turn', () => {
    const req = decodeRequest(agentRequest())
    expect(req.model).toBe('gpt-4.1')
    expect(req.stream).toBe(true)
    expect(req.includeUsage).toBe(true)
    expect(req.system).toEqual([
      { type: 'text', text: 'You are a weather assistant.' },
      { type: 'text', text: 'Answer in metric.' },
    ])
    expect(req.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user'])
    expect(req.messages[0]!.parts).toEqual([
      { type: 'text', text: 'What is in this picture, and what is the weather there?' },
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG }, detail: 'low' },
      { type: 'image', source: { kind: 'url', url: 'https://example.com/paris.jpg' } },
    ])
    expect(req.messages[1]!.parts).toEqual([
      { type: 'reasoning', text: 'The picture shows the Eiffel Tower, so Paris.' },
      { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'tool-call', id: 'call_2', name: 'get_time', arguments: '{"tz":"Europe/Paris"}' },
    ])
    // Consecutive tool messages: one user message, names filled from the calls.
    expect(req.messages[2]!.parts).toEqual([
      { type: 'tool-result', callId: 'call_1', name: 'get_weather', content: [{ type: 'text', text: '18°C, cloudy' }] },
      { type: 'tool-result', callId: 'call_2', name: 'get_time', content: [{ type: 'text', text: '14:05' }] },
    ])
    expect(req.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        strict: true,
      },
      { name: 'get_time', parameters: { type: 'object', properties: {} } },
    ])
    expect(req.toolChoice).toEqual({ type: 'auto' })
    expect(req.parallelToolCalls).toBe(true)
    expect(req.maxTokens).toBe(1024)
    expect(req.temperature).toBe(0.2)
    expect(req.topP).toBe(0.9)
    expect(req.stopSequences).toEqual(['\n\nUser:'])
    expect(req.presencePenalty).toBe(0.1)
    expect(req.frequencyPenalty).toBe(0.3)
    expect(req.seed).toBe(42)
    expect(req.candidateCount).toBe(1)
    expect(req.responseFormat).toEqual({
      type: 'json-schema',
      name: 'forecast',
      description: 'A forecast',
      schema: { type: 'object', properties: { temp: { type: 'number' } } },
      strict: true,
    })
    expect(req.reasoning).toEqual({ enabled: true, effort: 'low' })
    expect(req.user).toBe('user-1234')
    expect(req.extras).toEqual({
      'openai-chat': { logprobs: true, top_logprobs: 2, metadata: { session: 'abc' }, store: false, service_tier: 'flex' },
    })
    expect(req.warnings).toBeUndefined()
  })

  it('keeps a late system message where it was (the upstream encoder decides); keeps refusal text', () => {
    const req = decodeRequest({
      model: 'm',
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: [{ type: 'refusal', refusal: 'I cannot.' }] },
        { role: 'system', content: 'Be nice.' },
        { role: 'user', content: 'b' },
      ],
    })
    expect(req.system).toEqual([])
    expect(req.midSystem).toEqual([{ before: 2, role: 'system', parts: [{ type: 'text', text: 'Be nice.' }], at: 'messages[2]' }])
    expect(req.messages[1]!.parts).toEqual([{ type: 'text', text: 'I cannot.' }])
    expect(req.warnings).toBeUndefined()
  })

  it('maps scalar variants: stop string, max_tokens, reasoning none, json_object, tool_choice by name, no stream_options', () => {
    const req = decodeRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      stop: 'END',
      max_tokens: 50,
      reasoning_effort: 'none',
      response_format: { type: 'json_object' },
      tool_choice: { type: 'function', function: { name: 'f' } },
      stream: true,
      stream_options: { include_obfuscation: false },
    })
    expect(req.stopSequences).toEqual(['END'])
    expect(req.maxTokens).toBe(50)
    expect(req.reasoning).toEqual({ enabled: false, effort: 'none' })
    expect(req.responseFormat).toEqual({ type: 'json' })
    expect(req.toolChoice).toEqual({ type: 'tool', name: 'f' })
    expect(req.includeUsage).toBeUndefined()
    expect(req.extras).toEqual({ 'openai-chat': { stream_options: { include_obfuscation: false } } })
  })

  const bad: Array<[string, unknown, string, string?]> = [
    ['no model', { messages: [{ role: 'user', content: 'x' }] }, 'model: must be a non-empty string', 'model'],
    ['empty messages', { model: 'm', messages: [] }, 'messages: must be a non-empty array', 'messages'],
    ['unknown role', { model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role: unknown role "robot"', 'messages[0].role'],
    ['non-object message', { model: 'm', messages: ['hi'] }, 'messages[0]: expected an object', 'messages[0]'],
    [
      'unknown part',
      { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'foo' }] }] },
      "messages[0].content[1].type: unknown content type 'foo'",
      'messages[0].content[1].type',
    ],
    ['tool without id', { model: 'm', messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id: required for tool messages'],
    ['bad temperature', { model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 'hot' }, 'temperature: expected a number', 'temperature'],
    ['bad tool_choice', { model: 'm', messages: [{ role: 'user', content: 'x' }], tool_choice: 'sometimes' }, "tool_choice: expected 'auto'"],
  ]
  for (const [name, body, message, param] of bad) {
    it(`rejects ${name}`, () => {
      let err: unknown
      try {
        decodeRequest(body)
      } catch (e) {
        err = e
      }
      expect(GatewayError.is(err)).toBe(true)
      const g = err as GatewayError
      expect(g.kind).toBe('invalid_request')
      expect(g.message.startsWith(message)).toBe(true)
      if (param) expect(g.param).toBe(param)
    })
  }

  it('decodes file and audio parts, refusing only what cannot travel (an uploaded file_id)', () => {
    const ir = decodeRequest({
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } }, { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } }] }],
    })
    expect(ir.messages[0]!.parts).toEqual([
      { type: 'file', mediaType: 'audio/wav', source: { kind: 'base64', data: 'UklGRg==' }, at: 'messages[0].content[0]' },
      { type: 'file', mediaType: 'application/pdf', source: { kind: 'base64', data: 'JVBERi0=' }, filename: 'a.pdf', at: 'messages[0].content[1]' },
    ])
    try {
      decodeRequest({ model: 'm', messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }] })
      expect.unreachable()
    } catch (e) {
      expect(GatewayError.is(e) && e.kind).toBe('unsupported')
      expect((e as Error).message).toBe('messages[0].content[0].file.file_id: uploaded files are not supported; send file_data')
    }
    expect(() => decodeRequest({ model: 'm', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'ogg' } }] }] })).toThrow(
      "messages[0].content[0].input_audio.format: expected 'wav' or 'mp3'",
    )
  })
})

describe('openai-chat encodeRequest', () => {
  it('encodes for an OpenAI-compatible upstream', () => {
    const { path, body } = encodeRequest(decodeRequest(agentRequest()))
    expect(path).toBe('chat/completions')
    expect(body.max_tokens).toBe(1024)
    expect(body.max_completion_tokens).toBeUndefined()
    expect(body.stream).toBe(true)
    expect(body.stream_options).toEqual({ include_usage: true })
    expect(body.stop).toEqual(['\n\nUser:'])
    expect(body.reasoning_effort).toBe('low')
    expect(body.response_format).toEqual(agentRequest().response_format)
    expect(body.tools).toEqual([
      (agentRequest().tools as unknown[])[0],
      { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
    ])
    // extras re-emitted
    expect(body).toMatchObject({ logprobs: true, top_logprobs: 2, metadata: { session: 'abc' }, store: false, service_tier: 'flex', user: 'user-1234' })
    const messages = body.messages as Array<Record<string, unknown>>
    expect(messages[0]).toEqual({
      role: 'system',
      content: [
        { type: 'text', text: 'You are a weather assistant.' },
        { type: 'text', text: 'Answer in metric.' },
      ],
    })
    expect(messages[1]).toEqual((agentRequest().messages as unknown[])[2])
    expect(messages[2]).toEqual((agentRequest().messages as unknown[])[3])
    expect(messages[3]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '18°C, cloudy' })
    expect(messages[4]).toEqual({ role: 'tool', tool_call_id: 'call_2', content: '14:05' })
    expect(messages.slice(5)).toEqual((agentRequest().messages as unknown[]).slice(6))
  })

  it('round-trips at the IR level: decode(encode(decode(x))) == decode(x)', () => {
    const ir = decodeRequest(agentRequest())
    const again = decodeRequest(encodeRequest(structuredClone(ir)).body)
    expect(again).toEqual(ir)
  })

  it('sends include_usage even when the client did not ask (documented default)', () => {
    const ir = decodeRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true })
    expect(encodeRequest(ir).body.stream_options).toEqual({ include_usage: true })
    expect(encodeRequest({ ...ir, stream: false }).body.stream_options).toBeUndefined()
  })

  it('maps reasoning config to reasoning_effort', () => {
    const effort = (reasoning: IRRequest['reasoning']) =>
      encodeRequest({ model: 'm', stream: false, system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'x' }] }], reasoning }).body
        .reasoning_effort
    expect(effort({ enabled: true, effort: 'minimal' })).toBe('minimal')
    expect(effort({ enabled: true, budgetTokens: 1024 })).toBe('low')
    expect(effort({ enabled: true, budgetTokens: 8192 })).toBe('medium')
    expect(effort({ enabled: true, budgetTokens: 8193 })).toBe('high')
    expect(effort({ enabled: false, budgetTokens: 0 })).toBeUndefined()
    expect(effort({ enabled: false, effort: 'none' })).toBe('none')
    expect(effort(undefined)).toBeUndefined()
  })

  it('names an anonymous json schema and drops top_k with a warning', () => {
    const ir: IRRequest = {
      model: 'm',
      stream: false,
      system: [{ type: 'text', text: 'sys', cacheControl: { type: 'ephemeral' } }],
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'x' }] }],
      topK: 40,
      responseFormat: { type: 'json-schema', schema: { type: 'object' } },
    }
    const { body } = encodeRequest(ir)
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema: { type: 'object' } } })
    expect(body.messages).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'x' },
    ])
    expect(ir.warnings?.map((w) => w.message)).toEqual([
      'cache_control is not supported by OpenAI Chat Completions; dropped',
      'top_k is not supported by OpenAI Chat Completions; dropped',
    ])
  })
})
