import { describe, it, expect } from 'vitest'
import { GoogleGenAI } from '@google/genai'
import * as geminiCodec from '../../../../server/gateway/dialects/gemini'
import { GatewayError } from '../../../../server/gateway/errors'
import { unwrapThinking, type IRStreamEvent } from '../../../../server/gateway/ir'
import { encodeEvents } from './helpers'
import { irAnswer, reasoningBlock, textBlock, toolCallBlock } from '../../../helpers/ir-blocks'

/** A client whose fetch answers every request with `body` (no network). Records what it was sent. */
function client(body: string, contentType: string, status = 200) {
  const seen: { url: string; body: any }[] = []
  const ai = new GoogleGenAI({
    apiKey: 'test-key',
    httpOptions: {
      baseUrl: 'http://127.0.0.1:1',
      fetch: (async (url: string | URL | Request, init?: RequestInit) => {
        seen.push({ url: String(url), body: JSON.parse(String(init?.body ?? '{}')) })
        // deliver in small pieces to exercise the SDK's frame splitting
        const bytes = new TextEncoder().encode(body)
        const stream = new ReadableStream<Uint8Array>({
          start(c) {
            for (let i = 0; i < bytes.length; i += 7) c.enqueue(bytes.slice(i, i + 7))
            c.close()
          },
        })
        return new Response(stream, { status, headers: { 'content-type': contentType } })
      }) as typeof fetch,
    },
  })
  return { ai, seen }
}

const EVENTS: IRStreamEvent[] = [
  { type: 'start', id: 'msg_1', model: 'claude-sonnet', created: 1 },
  ...reasoningBlock(0, ['Let me ', 'think.'], { signature: { origin: 'anthropic', value: 'ErUBsig' } }),
  ...textBlock(1, ['Checking ', 'both cities.']),
  ...toolCallBlock(2, { id: 'toolu_01', name: 'get_weather' }, ['{"city":', '"Paris"}']),
  ...toolCallBlock(3, { id: 'toolu_02', name: 'get_weather' }, ['{"city":"Oslo","units":"c"}']),
  { type: 'usage', usage: { inputTokens: 120, outputTokens: 0 } },
  { type: 'finish', reason: { unified: 'tool-calls' }, usage: { inputTokens: 120, outputTokens: 45, reasoningTokens: 12, cacheReadTokens: 100 } },
]

describe('@google/genai parses what the gemini encoders write', () => {
  it('generateContentStream over our SSE: text, thoughts, function calls, usage', async () => {
    const { ai, seen } = client(encodeEvents(EVENTS, { sse: true, model: 'gemini-2.5-pro' }), 'text/event-stream')
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-pro', contents: 'weather?' })
    let text = ''
    let thoughts = ''
    const calls: unknown[] = []
    let lastUsage: unknown
    let finish: unknown
    const sigs: string[] = []
    for await (const chunk of stream) {
      for (const p of chunk.candidates?.[0]?.content?.parts ?? []) {
        if (p.thought) thoughts += p.text ?? ''
        else if (typeof p.text === 'string') text += p.text
        if (p.thoughtSignature) sigs.push(p.thoughtSignature)
      }
      calls.push(...(chunk.functionCalls ?? []))
      if (chunk.usageMetadata) lastUsage = chunk.usageMetadata
      if (chunk.candidates?.[0]?.finishReason) finish = chunk.candidates[0].finishReason
      expect(chunk.modelVersion).toBe('gemini-2.5-pro')
      expect(chunk.responseId).toBe('msg_1')
    }
    expect(seen[0]!.url).toContain('models/gemini-2.5-pro:streamGenerateContent?alt=sse')
    expect(thoughts).toBe('Let me think.')
    expect(text).toBe('Checking both cities.')
    // the thought's own signature, then the first call carrying that thinking (Gemini CLI keeps only calls)
    expect(sigs).toEqual(['rsig1.anthropic.ErUBsig', expect.stringMatching(/^rsig1\.thinking\./)])
    expect(unwrapThinking(sigs[1]!)).toEqual([{ type: 'reasoning', text: 'Let me think.', signature: { origin: 'anthropic', value: 'ErUBsig' } }])
    expect(calls).toEqual([
      { id: 'toolu_01', name: 'get_weather', args: { city: 'Paris' } },
      { id: 'toolu_02', name: 'get_weather', args: { city: 'Oslo', units: 'c' } },
    ])
    expect(finish).toBe('STOP')
    expect(lastUsage).toEqual({
      promptTokenCount: 120,
      candidatesTokenCount: 33,
      thoughtsTokenCount: 12,
      cachedContentTokenCount: 100,
      totalTokenCount: 165,
    })
  })

  it('an in-band error after content surfaces as the SDK ApiError', async () => {
    const enc = geminiCodec.createStreamEncoder({ sse: true, model: 'm' })
    let body = enc.push(EVENTS[0]!) + enc.push({ type: 'text-delta', index: 0, text: 'par' })
    body += enc.push({ type: 'error', error: new GatewayError('overloaded', 'Upstream overloaded') }) + enc.end()
    const { ai } = client(body, 'text/event-stream')
    const stream = await ai.models.generateContentStream({ model: 'm', contents: 'x', config: { automaticContinuation: false } })
    const got: string[] = []
    await expect(
      (async () => {
        for await (const c of stream) got.push(c.text ?? '')
      })(),
    ).rejects.toMatchObject({ name: 'ApiError', status: 503 })
    expect(got).toEqual(['par'])
  })

  it('generateContent over our JSON body: text, function call with signature, usage', async () => {
    const res = irAnswer(
      [
        { type: 'text', text: 'Calling.' },
        { type: 'tool-call', id: 'call_9', name: 'lookup', arguments: '{"q":"x"}', signature: { origin: 'gemini', value: 'CiQsig' } },
      ],
      { unified: 'tool-calls', raw: 'tool_calls', rawDialect: 'openai-chat' },
      { inputTokens: 5, outputTokens: 9 },
    )
    const { ai } = client(JSON.stringify(geminiCodec.encodeResponse(res, 'gemini-2.5-flash')), 'application/json')
    const r = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'q' })
    expect(r.text).toBe('Calling.')
    expect(r.functionCalls).toEqual([{ id: 'call_9', name: 'lookup', args: { q: 'x' } }])
    expect(r.candidates?.[0]?.content?.parts?.[1]?.thoughtSignature).toBe('CiQsig')
    expect(r.usageMetadata?.totalTokenCount).toBe(14)
    expect(r.candidates?.[0]?.finishReason).toBe('STOP')
  })

  it('an encoded error body becomes the SDK ApiError with our status', async () => {
    const { status, body } = geminiCodec.encodeError(new GatewayError('not_found', 'model nope not found'))
    const { ai } = client(JSON.stringify(body), 'application/json', status)
    await expect(ai.models.generateContent({ model: 'nope', contents: 'q' })).rejects.toMatchObject({ status: 404 })
  })
})
