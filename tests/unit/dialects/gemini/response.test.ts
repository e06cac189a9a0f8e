import { describe, it, expect } from 'vitest'
import { fixtureJson } from '../../../helpers/fixtures'
import { replay } from './helpers'
import * as geminiCodec from '../../../../server/gateway/dialects/gemini'
import { decodeFinishReason, encodeFinishReason } from '../../../../server/gateway/dialects/gemini/map-finish-reason'
import { unwrapThinking, type IRResponse } from '../../../../server/gateway/ir'
import { anthropicAnswer } from '../../../helpers/ir-blocks'

const reencode = (res: IRResponse) => geminiCodec.decodeResponse(geminiCodec.encodeResponse(res, res.model))
const stable = (r: IRResponse) => ({ ...r, created: 0 })

describe('gemini decodeResponse', () => {
  it('text with a thought signature and thought usage', () => {
    const body = fixtureJson('gemini-chunks/vercel-google-text.json')
    const res = geminiCodec.decodeResponse(body)
    expect(res.id).toBe('Un6LacrVMcjUxs0PmJfWoQc')
    expect(res.model).toBe('gemini-3-pro-preview')
    expect(res.parts).toEqual([
      {
        type: 'text',
        text: "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.",
        signature: { origin: 'gemini', value: body.candidates[0].content.parts[0].thoughtSignature },
      },
    ])
    expect(res.finish).toEqual({ unified: 'stop', raw: 'STOP', rawDialect: 'gemini' })
    expect(res.usage).toEqual({ inputTokens: 9, outputTokens: 28 + 244, reasoningTokens: 244 })
  })

  it('gemini 3 function call: id synthesized, signature kept, STOP → tool-calls', () => {
    const res = geminiCodec.decodeResponse(fixtureJson('gemini-chunks/vercel-google-tool-call-gemini3.json'))
    expect(res.parts).toHaveLength(1)
    const call = res.parts[0]!
    expect(call).toMatchObject({ type: 'tool-call', name: 'weather', arguments: '{"location":"San Francisco"}', signature: { origin: 'gemini' } })
    expect(call.type === 'tool-call' && call.id).toMatch(/^gmcall_[0-9a-f]{16}$/)
    expect(res.finish).toEqual({ unified: 'tool-calls', raw: 'STOP', rawDialect: 'gemini' })
    expect(res.extras).toEqual({ gemini: { candidate: { finishMessage: 'Model generated function call(s).' } } })
  })

  it('js-genai replays: function call, MAX_TOKENS text, thought part', () => {
    const fc = replay('js-genai-Chats_Tests_chats_function_calling_Google_AI_with_function_calling.json')
    const r1 = geminiCodec.decodeResponse(fc[0]!.responseBodies[0])
    expect(r1.parts).toMatchObject([{ type: 'tool-call', name: 'customDivide', arguments: '{"denominator":2,"numerator":100}' }])
    expect(r1.usage).toEqual({ inputTokens: 21, outputTokens: 6 })
    expect(r1.finish.unified).toBe('tool-calls')

    const [gen] = replay('js-genai-Client_Tests_generateContent_ML_Dev_should_generate_content_with_specified_parameters.json')
    const r2 = geminiCodec.decodeResponse(gen!.responseBodies[0])
    expect(r2.finish).toEqual({ unified: 'length', raw: 'MAX_TOKENS', rawDialect: 'gemini' })
    expect(r2.usage).toEqual({ inputTokens: 7, outputTokens: 149 + 48, reasoningTokens: 48 })
    expect(r2.parts[0]!.type === 'text' && r2.parts[0]!.text.startsWith('The sky is blue because')).toBe(true)

    const [th] = replay('js-genai-Client_Tests_test_thinking_generate_content_should_return_thought_field.json')
    const r3 = geminiCodec.decodeResponse(th!.responseBodies[0])
    expect(r3.parts).toHaveLength(1)
    expect(r3.parts[0]).toMatchObject({ type: 'reasoning' })
    expect(r3.usage).toEqual({ inputTokens: 17, outputTokens: 19, reasoningTokens: 19 })
    expect(r3.model).toBe('gemini-2.0-flash-thinking-exp-01-21')
  })

  it('a blocked prompt (no candidates) is content-filter and encodes back without candidates', () => {
    const body = { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 }, modelVersion: 'gemini-2.5-flash', responseId: 'r1' }
    const res = geminiCodec.decodeResponse(body)
    expect(res.finish).toEqual({ unified: 'content-filter', raw: 'SAFETY', rawDialect: 'gemini' })
    expect(res.parts).toEqual([])
    const enc = geminiCodec.encodeResponse(res, 'gemini-2.5-flash')
    expect(enc.candidates).toBeUndefined()
    expect(enc.promptFeedback).toEqual({ blockReason: 'SAFETY' })
  })

  it('an error body throws the typed error', () => {
    expect(() => geminiCodec.decodeResponse({ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } })).toThrowError(
      expect.objectContaining({ kind: 'rate_limit' }),
    )
  })
})

describe('gemini encodeResponse', () => {
  it('decode → encode → decode keeps parts, ids, signatures, finish and usage; wire fields match the original', () => {
    const bodies = [
      fixtureJson('gemini-chunks/vercel-google-text.json'),
      fixtureJson('gemini-chunks/vercel-google-tool-call-gemini3.json'),
      ...replay('js-genai-Chats_Tests_chats_function_calling_Google_AI_with_function_calling.json').map((i) => i.responseBodies[0]),
      replay('js-genai-Client_Tests_generateContent_ML_Dev_should_generate_content_with_specified_parameters.json')[0]!.responseBodies[0],
    ]
    for (const body of bodies as any[]) {
      const res = geminiCodec.decodeResponse(body)
      expect(stable(reencode(res))).toEqual(stable(res))
      const enc = geminiCodec.encodeResponse(res, body.modelVersion) as any
      const strip = (parts: any[]) => parts.map((p) => (p.functionCall ? { ...p, functionCall: { name: p.functionCall.name, args: p.functionCall.args } } : p))
      expect(strip(enc.candidates[0].content.parts)).toEqual(body.candidates[0].content.parts)
      expect(enc.candidates[0].finishReason).toBe(body.candidates[0].finishReason)
      for (const k of ['promptTokenCount', 'candidatesTokenCount', 'thoughtsTokenCount', 'totalTokenCount']) {
        expect(enc.usageMetadata[k]).toBe(body.usageMetadata[k])
      }
      expect(enc.responseId).toBe(body.responseId)
      expect(enc.modelVersion).toBe(body.modelVersion)
    }
  })

  it('carries foreign signatures and ids so a Gemini client can send them back', () => {
    const res = anthropicAnswer(
      [
        { type: 'reasoning', text: 'thinking...', signature: { origin: 'anthropic', value: 'EqQBCkgI' } },
        { type: 'text', text: 'Let me check.' },
        { type: 'tool-call', id: 'toolu_01A', name: 'get_weather', arguments: '{"city":"Paris"}' },
      ],
      { unified: 'tool-calls', raw: 'tool_use' },
      { inputTokens: 100, outputTokens: 50, cacheReadTokens: 80, reasoningTokens: 20 },
    )
    const enc = geminiCodec.encodeResponse(res, 'my-alias') as any
    expect(enc).toEqual({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'thinking...', thought: true, thoughtSignature: 'rsig1.anthropic.EqQBCkgI' },
              { text: 'Let me check.' },
              // The call carries the thinking before it: Gemini CLI sends calls back, never thought parts.
              { functionCall: { id: 'toolu_01A', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: expect.stringMatching(/^rsig1\.thinking\./) },
            ],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 30, thoughtsTokenCount: 20, cachedContentTokenCount: 80, totalTokenCount: 150 },
      modelVersion: 'my-alias',
      responseId: 'msg_01',
    })
    // the client appends the model content to its history and answers the call
    const next = geminiCodec.decodeRequest(
      {
        contents: [
          { role: 'user', parts: [{ text: 'weather?' }] },
          enc.candidates[0].content,
          { role: 'user', parts: [{ functionResponse: { id: 'toolu_01A', name: 'get_weather', response: { t: 20 } } }] },
        ],
      },
      { model: 'my-alias' },
    )
    expect(next.messages[1]!.parts[0]).toEqual({ type: 'reasoning', text: 'thinking...', signature: { origin: 'anthropic', value: 'EqQBCkgI' } })
    expect(next.messages[1]!.parts[2]).toMatchObject({ type: 'tool-call', id: 'toolu_01A' })
    expect(next.messages[2]!.parts[0]).toMatchObject({ type: 'tool-result', callId: 'toolu_01A' })
    // the thought part came back too: the carried copy is not added twice
    expect(next.messages[1]!.parts.map((p) => p.type)).toEqual(['reasoning', 'text', 'tool-call'])
    expect(unwrapThinking(enc.candidates[0].content.parts[2].thoughtSignature)).toEqual([res.parts[0]])

    // Gemini CLI drops thought parts from its history: the thinking is restored from the call alone.
    const cli = geminiCodec.decodeRequest(
      {
        contents: [
          { role: 'user', parts: [{ text: 'weather?' }] },
          { role: 'model', parts: enc.candidates[0].content.parts.filter((p: any) => !p.thought) },
          { role: 'user', parts: [{ functionResponse: { id: 'toolu_01A', name: 'get_weather', response: { t: 20 } } }] },
        ],
      },
      { model: 'my-alias' },
    )
    expect(cli.messages[1]!.parts).toEqual([
      { type: 'reasoning', text: 'thinking...', signature: { origin: 'anthropic', value: 'EqQBCkgI' } },
      { type: 'text', text: 'Let me check.' },
      { type: 'tool-call', id: 'toolu_01A', name: 'get_weather', arguments: '{"city":"Paris"}' },
    ])
  })
})

describe('gemini finish reasons', () => {
  it('maps every raw value', () => {
    const table: Record<string, string> = {
      STOP: 'stop', MAX_TOKENS: 'length', SAFETY: 'content-filter', RECITATION: 'content-filter', LANGUAGE: 'content-filter',
      BLOCKLIST: 'content-filter', PROHIBITED_CONTENT: 'content-filter', SPII: 'content-filter', IMAGE_SAFETY: 'content-filter',
      MALFORMED_FUNCTION_CALL: 'error', UNEXPECTED_TOOL_CALL: 'error', TOO_MANY_TOOL_CALLS: 'error', OTHER: 'other',
      FINISH_REASON_UNSPECIFIED: 'other', SOMETHING_NEW: 'other',
    }
    for (const [raw, unified] of Object.entries(table)) expect(decodeFinishReason(raw, false)).toEqual({ unified, raw, rawDialect: 'gemini' })
    expect(decodeFinishReason('STOP', true).unified).toBe('tool-calls')
    expect(decodeFinishReason('MALFORMED_FUNCTION_CALL', false).raw).toBe('MALFORMED_FUNCTION_CALL')
  })

  it('encodes unified reasons and echoes Gemini raw ones', () => {
    expect(encodeFinishReason({ unified: 'stop' })).toBe('STOP')
    expect(encodeFinishReason({ unified: 'tool-calls' })).toBe('STOP')
    expect(encodeFinishReason({ unified: 'length', raw: 'max_tokens', rawDialect: 'anthropic' })).toBe('MAX_TOKENS')
    expect(encodeFinishReason({ unified: 'content-filter' })).toBe('SAFETY')
    expect(encodeFinishReason({ unified: 'error' })).toBe('OTHER')
    expect(encodeFinishReason({ unified: 'other' })).toBe('OTHER')
    expect(encodeFinishReason({ unified: 'content-filter', raw: 'RECITATION', rawDialect: 'gemini' })).toBe('RECITATION')
    expect(encodeFinishReason({ unified: 'error', raw: 'MALFORMED_FUNCTION_CALL', rawDialect: 'gemini' })).toBe('MALFORMED_FUNCTION_CALL')
  })
})
