import { describe, it, expect } from 'vitest'
import type { IRResponse } from '../../../../server/gateway/ir'
import * as anthropicCodec from '../../../../server/gateway/dialects/anthropic'
import { fixtureFiles, fixtureJson } from '../../../helpers/fixtures'

const { decodeResponse, encodeResponse } = anthropicCodec

describe('anthropic responses: fixtures', () => {
  const files = fixtureFiles('anthropic-chunks', '.json')
  it('finds both bodies', () => expect(files).toHaveLength(2))

  it('text body', () => {
    const body = fixtureJson('anthropic-chunks/vercel-anthropic-text.json')
    const ir = decodeResponse(body)
    expect(ir.id).toBe('msg_01VdEjxAP5ahtHKrrRdNBteQ')
    expect(ir.model).toBe('claude-sonnet-4-5-20250929')
    expect(ir.parts).toEqual([{ type: 'text', text: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?" }])
    expect(ir.finish).toEqual({ unified: 'stop', raw: 'end_turn', rawDialect: 'anthropic' })
    expect(ir.usage).toEqual({ inputTokens: 12, outputTokens: 29, cacheReadTokens: 0, cacheWriteTokens: 0 })
  })

  it('tool_use body', () => {
    const body = fixtureJson('anthropic-chunks/vercel-anthropic-json-tool.1.json')
    const ir = decodeResponse(body)
    expect(ir.parts).toHaveLength(1)
    const call = ir.parts[0]
    if (call?.type !== 'tool-call') throw new Error('expected a tool call')
    expect(call.id).toBe('toolu_01Q9ExVZnzZj7E2QQYHYtNUa')
    expect(call.name).toBe('json')
    expect(JSON.parse(call.arguments)).toEqual(body.content[0].input)
    expect(ir.finish.unified).toBe('tool-calls')
    expect(ir.usage).toMatchObject({ inputTokens: 1151, outputTokens: 87 })
  })

  for (const rel of files) {
    it(`${rel} re-encodes with the same key fields`, () => {
      const body = fixtureJson(rel)
      const out = encodeResponse(decodeResponse(body), body.model)
      expect(out).toMatchObject({
        id: body.id, type: 'message', role: 'assistant', model: body.model,
        content: body.content, stop_reason: body.stop_reason, stop_sequence: body.stop_sequence ?? null,
      })
      expect(out.usage).toEqual({
        input_tokens: body.usage.input_tokens,
        output_tokens: body.usage.output_tokens,
        cache_creation_input_tokens: body.usage.cache_creation_input_tokens,
        cache_read_input_tokens: body.usage.cache_read_input_tokens,
      })
      const again = decodeResponse(out)
      expect({ ...again, created: 0 }).toEqual({ ...decodeResponse(body), created: 0 })
    })
  }
})

describe('anthropic responses: mapping', () => {
  it('thinking, redacted thinking, cache usage, server tool blocks skipped, stop_details kept', () => {
    const body = {
      id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x',
      content: [
        { type: 'thinking', thinking: 'hmm', signature: 'SIG' },
        { type: 'redacted_thinking', data: 'RED' },
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
        { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
        { type: 'text', text: 'Cited.', citations: [{ type: 'web_search_result_location', url: 'u' }] },
      ],
      stop_reason: 'refusal', stop_sequence: null,
      stop_details: { type: 'refusal', category: 'cyber' },
      usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 90, cache_creation_input_tokens: 3, output_tokens_details: { thinking_tokens: 2 } },
    }
    const ir = decodeResponse(body)
    expect(ir.parts).toEqual([
      { type: 'reasoning', text: 'hmm', signature: { origin: 'anthropic', value: 'SIG' } },
      { type: 'reasoning', text: '', redactedData: 'RED' },
      { type: 'text', text: 'Cited.' },
    ])
    expect(ir.usage).toEqual({ inputTokens: 103, outputTokens: 5, cacheReadTokens: 90, cacheWriteTokens: 3, reasoningTokens: 2 })
    expect(ir.finish.unified).toBe('content-filter')
    const out = encodeResponse(ir, 'alias')
    expect(out.model).toBe('alias')
    expect(out.stop_reason).toBe('refusal')
    expect(out.stop_details).toEqual({ type: 'refusal', category: 'cyber' })
    expect(out.usage).toEqual({ input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 3, cache_read_input_tokens: 90, output_tokens_details: { thinking_tokens: 2 } })
  })

  it('encodes a foreign response: ids, signatures, stop reasons, never-negative input', () => {
    const res: IRResponse = {
      id: 'chatcmpl-9x.Y', model: 'gpt-x', created: 1,
      parts: [
        { type: 'reasoning', text: 'r1', signature: { origin: 'gemini', value: 'GSIG' } },
        { type: 'reasoning', text: 'r2' },
        { type: 'text', text: 'hello' },
        { type: 'tool-call', id: 'call_abc', name: 'f', arguments: '{"a":[1,2]}' },
        { type: 'tool-call', id: 'call_def', name: 'g', arguments: '{broken' },
      ],
      finish: { unified: 'tool-calls', raw: 'tool_calls', rawDialect: 'openai-chat' },
      usage: { inputTokens: 5, outputTokens: 7, cacheReadTokens: 10 },
    }
    const out = encodeResponse(res, 'claude-alias')
    expect(out).toEqual({
      id: 'msg_chatcmpl9xY', type: 'message', role: 'assistant', model: 'claude-alias',
      content: [
        { type: 'thinking', thinking: 'r1', signature: 'rsig1.gemini.GSIG' },
        { type: 'thinking', thinking: 'r2', signature: '' },
        { type: 'text', text: 'hello' },
        { type: 'tool_use', id: 'call_abc', name: 'f', input: { a: [1, 2] } },
        { type: 'tool_use', id: 'call_def', name: 'g', input: {} },
      ],
      stop_reason: 'tool_use', stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 10 },
    })
    const stop = (finish: IRResponse['finish']) => encodeResponse({ ...res, parts: [], finish }, 'm').stop_reason
    expect(stop({ unified: 'stop' })).toBe('end_turn')
    expect(stop({ unified: 'stop', stopSequence: 'X' })).toBe('stop_sequence')
    expect(stop({ unified: 'length', raw: 'MAX_TOKENS', rawDialect: 'gemini' })).toBe('max_tokens')
    expect(stop({ unified: 'content-filter' })).toBe('refusal')
    expect(stop({ unified: 'error' })).toBe('end_turn')
    expect(stop({ unified: 'other' })).toBe('end_turn')
    expect(stop({ unified: 'stop', raw: 'pause_turn', rawDialect: 'anthropic' })).toBe('pause_turn')
  })

  it('maps every Anthropic stop_reason', () => {
    const m = (r: string) => decodeResponse({ id: 'msg_1', content: [], stop_reason: r, usage: {} }).finish.unified
    expect(['end_turn', 'stop_sequence', 'pause_turn', 'max_tokens', 'model_context_window_exceeded', 'tool_use', 'refusal', 'weird'].map(m))
      .toEqual(['stop', 'stop', 'stop', 'length', 'length', 'tool-calls', 'content-filter', 'other'])
  })
})
