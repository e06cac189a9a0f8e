import { describe, it, expect } from 'vitest'
import { GatewayError } from '../../../../server/gateway/errors'
import * as codec from '../../../../server/gateway/dialects/openai-responses'
import type { IRRequest } from '../../../../server/gateway/ir'
import { CODEX_TURN } from '../../../helpers/codex'

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk'

/** A canonical body (the form encodeRequest writes), multi-turn with tools, images, reasoning. */
const BODY = {
  model: 'gpt-5',
  instructions: 'You are terse.',
  input: [
    {
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: 'Weather in Paris? See photo.' },
        { type: 'input_image', image_url: `data:image/png;base64,${PNG}`, detail: 'low' },
        { type: 'input_image', image_url: 'https://example.com/p.jpg', detail: 'auto' },
      ],
    },
    { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Need weather.' }], encrypted_content: 'gAAAAenc1' },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
    { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
    { type: 'function_call', call_id: 'call_2', name: 'get_time', arguments: '{}' },
    { type: 'function_call_output', call_id: 'call_1', output: '{"temp":21}' },
    { type: 'function_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: 'noon' }, { type: 'input_image', image_url: 'https://e.com/c.png', detail: 'high' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Thanks' }] },
  ],
  stream: true,
  tools: [
    { type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true },
    { type: 'function', name: 'get_time', parameters: { type: 'object', properties: {} }, strict: false },
    { type: 'web_search' },
  ],
  tool_choice: 'required',
  parallel_tool_calls: false,
  max_output_tokens: 500,
  temperature: 0.2,
  top_p: 0.9,
  reasoning: { effort: 'high', summary: 'auto' },
  text: { format: { type: 'json_schema', name: 'w', schema: { type: 'object' }, strict: true }, verbosity: 'low' },
  user: 'u-1',
  store: false,
  include: ['reasoning.encrypted_content'],
  metadata: { k: 'v' },
  service_tier: 'flex',
  truncation: 'auto',
  prompt_cache_key: 'pck',
}

describe('openai-responses request decode', () => {
  it('decodes every field into the IR', () => {
    const req = codec.decodeRequest(BODY)
    expect(req.system).toEqual([{ type: 'text', text: 'You are terse.' }])
    expect(req.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'user'])
    expect(req.messages[0]!.parts[1]).toEqual({ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG }, detail: 'low' })
    expect(req.messages[1]!.parts).toEqual([
      { type: 'reasoning', text: 'Need weather.', signature: { origin: 'openai-responses', value: 'rsid1.rs_1.gAAAAenc1' } },
      { type: 'text', text: 'Checking.' },
      { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'tool-call', id: 'call_2', name: 'get_time', arguments: '{}' },
    ])
    expect(req.messages[2]!.parts[0]).toEqual({ type: 'tool-result', callId: 'call_1', name: 'get_weather', content: [{ type: 'text', text: '{"temp":21}' }] })
    expect(req.tools?.map((t) => t.name)).toEqual(['get_weather', 'get_time'])
    expect(req.toolChoice).toEqual({ type: 'required' })
    expect(req).toMatchObject({ stream: true, parallelToolCalls: false, maxTokens: 500, temperature: 0.2, topP: 0.9, user: 'u-1' })
    expect(req.reasoning).toEqual({ enabled: true, effort: 'high' })
    expect(req.responseFormat).toEqual({ type: 'json-schema', name: 'w', schema: { type: 'object' }, strict: true })
    expect(req.extras?.['openai-responses' as never]).toEqual({
      tools: [{ type: 'web_search' }], reasoning: { summary: 'auto' }, text: { verbosity: 'low' }, store: false,
      include: ['reasoning.encrypted_content'], metadata: { k: 'v' }, service_tier: 'flex', truncation: 'auto', prompt_cache_key: 'pck',
    })
    expect(req.warnings?.map((w) => w.message)).toEqual(["tools[2]: 'web_search' tools only reach an OpenAI Responses upstream"])
  })

  it('decode → encode gives the same body (canonical form)', () => {
    const { path, body } = codec.encodeRequest(codec.decodeRequest(BODY))
    expect(path).toBe('responses')
    expect(body).toEqual(BODY)
  })

  it('a Codex-like request decodes: instructions, developer message, reasoning without id, tool turns', () => {
    const codex = {
      model: 'gpt-5-codex',
      instructions: 'You are Codex.',
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions>workspace-write</permissions>' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'list files' }] },
        { type: 'reasoning', summary: [{ type: 'summary_text', text: '**Listing**' }], content: null, encrypted_content: 'gAAAAcodex' },
        { type: 'function_call', name: 'shell', arguments: '{"command":["ls"]}', call_id: 'call_s1' },
        { type: 'function_call_output', call_id: 'call_s1', output: 'a.txt\nb.txt' },
        { type: 'custom_tool_call', call_id: 'call_p', name: 'apply_patch', input: '*** Begin Patch' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Two files.' }] },
      ],
      tools: [{ type: 'function', name: 'shell', description: 'Runs a command', strict: false, parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } }, required: ['command'] } }],
      ...CODEX_TURN,
      prompt_cache_key: 'sess-1',
    }
    const req = codec.decodeRequest(codex)
    expect(req.stream).toBe(true)
    expect(req.system.map((p) => p.text)).toEqual(['You are Codex.', '<permissions>workspace-write</permissions>'])
    expect(req.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
    expect(req.messages[1]!.parts).toEqual([
      { type: 'reasoning', text: '**Listing**', signature: { origin: 'openai-responses', value: 'gAAAAcodex' } },
      { type: 'tool-call', id: 'call_s1', name: 'shell', arguments: '{"command":["ls"]}' },
    ])
    expect(req.messages[2]!.parts).toEqual([{ type: 'tool-result', callId: 'call_s1', name: 'shell', content: [{ type: 'text', text: 'a.txt\nb.txt' }] }])
    expect(req.messages[3]!.parts).toEqual([{ type: 'text', text: 'Two files.' }])
    expect(req.tools?.[0]).toMatchObject({ name: 'shell', strict: false })
    expect(req.warnings?.map((w) => w.message)).toEqual(["input[5]: 'custom_tool_call' items cannot be carried to another dialect; dropped"])
    // back to a Responses upstream: the reasoning item goes back with its encrypted content, statelessly
    const { body } = codec.encodeRequest(req)
    expect((body.input as unknown[])[1]).toEqual({ type: 'reasoning', summary: [{ type: 'summary_text', text: '**Listing**' }], encrypted_content: 'gAAAAcodex' })
    expect(body).toMatchObject({ store: false, include: ['reasoning.encrypted_content'], instructions: 'You are Codex.\n\n<permissions>workspace-write</permissions>' })
  })

  it('input as a string, easy messages, system role, signatures from other dialects', () => {
    expect(codec.decodeRequest({ model: 'm', input: 'hi' }).messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }])
    const req = codec.decodeRequest({
      model: 'm',
      input: [
        { role: 'system', content: 'Sys' },
        { role: 'user', content: 'Q' },
        { type: 'reasoning', id: 'rs_x', summary: [{ type: 'summary_text', text: 'thought' }], encrypted_content: 'rsig1.anthropic.EqAnthropicSig' },
        { type: 'reasoning', id: 'rs_y', summary: [], encrypted_content: 'rsig1.anthropic.REDACTED' },
        { role: 'assistant', content: 'A' },
      ],
    })
    expect(req.system).toEqual([{ type: 'text', text: 'Sys' }])
    expect(req.messages[1]!.parts).toEqual([
      { type: 'reasoning', text: 'thought', signature: { origin: 'anthropic', value: 'EqAnthropicSig' } },
      { type: 'reasoning', text: '', redactedData: 'REDACTED' },
      { type: 'text', text: 'A' },
    ])
  })

  it('rejects stateful and malformed requests with named fields', () => {
    const bad = (body: unknown) => {
      try {
        codec.decodeRequest(body)
      } catch (e) {
        expect(GatewayError.is(e)).toBe(true)
        return e as GatewayError
      }
      throw new Error('no error')
    }
    expect(bad({ model: 'm', input: 'x', previous_response_id: 'resp_1' })).toMatchObject({ kind: 'invalid_request', param: 'previous_response_id' })
    expect(bad({ model: 'm', input: 'x', conversation: 'conv_1' })).toMatchObject({ kind: 'invalid_request', param: 'conversation' })
    expect(bad({ model: 'm' })).toMatchObject({ kind: 'invalid_request', param: 'input' })
    expect(bad({ input: 'x' }).param).toBe('model')
    expect(bad({ model: 'm', input: [{ role: 'user', content: [{ type: 'foo' }] }] }).message).toBe("input[0].content[0].type: unknown content type 'foo'")
    expect(bad({ model: 'm', input: [{ type: 'function_call', name: 'f' }] }).param).toBe('input[0].call_id')
    expect(bad({ model: 'm', input: [{ type: 'item_reference', id: 'msg_1' }] }).param).toBe('input[0]')
    expect(bad({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] }).kind).toBe('unsupported')
    expect(bad({ model: 'm', input: 'x', tool_choice: { type: 'allowed_tools' } }).kind).toBe('unsupported')
    expect(bad({ model: 'm', input: 'x', text: { format: { type: 'yaml' } } }).param).toBe('text.format.type')
    expect(bad({ model: 'm', input: 'x', temperature: 'hot' }).param).toBe('temperature')
  })
})

describe('openai-responses request encode (as upstream)', () => {
  const foreign: IRRequest = {
    model: 'gpt-4.1',
    stream: false,
    system: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }],
    messages: [
      { role: 'user', parts: [{ type: 'text', text: 'Q' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'claude thought', signature: { origin: 'anthropic', value: 'sig' } },
          { type: 'tool-call', id: 'toolu_1', name: 'f', arguments: '{}' },
        ],
      },
      { role: 'user', parts: [{ type: 'tool-result', callId: 'toolu_1', content: [{ type: 'text', text: 'r' }], isError: true }, { type: 'text', text: 'go on' }] },
    ],
    toolChoice: { type: 'tool', name: 'f' },
    stopSequences: ['END'],
    responseFormat: { type: 'json' },
    reasoning: { enabled: true, budgetTokens: 4000 },
  }

  it('maps a foreign IR: tool results, forced tool, json mode, stateless reasoning, dropped parts warned', () => {
    const req = structuredClone(foreign)
    const { path, body } = codec.encodeRequest(req)
    expect(path).toBe('responses')
    expect(body).toEqual({
      model: 'gpt-4.1',
      instructions: 'A\n\nB',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Q' }] },
        { type: 'function_call', call_id: 'toolu_1', name: 'f', arguments: '{}' },
        { type: 'function_call_output', call_id: 'toolu_1', output: 'r' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'go on' }] },
      ],
      tool_choice: { type: 'function', name: 'f' },
      reasoning: { effort: 'medium', summary: 'auto' },
      text: { format: { type: 'json_object' } },
      store: false,
      include: ['reasoning.encrypted_content'],
    })
    expect(req.warnings?.map((w) => w.message)).toEqual([
      'messages[2]: tool result error flag has no Responses field; dropped',
      '1 reasoning part(s) without openai-responses encrypted content not sent to the Responses upstream',
      'stop sequences are not supported by the Responses API; dropped',
    ])
  })

  it('no encrypted-content include for a non-reasoning model without reasoning', () => {
    const { body } = codec.encodeRequest({ model: 'gpt-4.1', stream: true, system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'x' }] }] })
    expect(body).toEqual({ model: 'gpt-4.1', input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] }], stream: true, store: false })
  })
})
