import { describe, it, expect } from 'vitest'
import { fixtureChunks, fixtureFiles } from '../../../helpers/fixtures'
import { collapse, decodeChunks, decodeSSEText, encodeEvents } from './helpers'
import { reasoningBlock, textBlock, toolCallBlock } from '../../../helpers/ir-blocks'
import * as geminiCodec from '../../../../server/gateway/dialects/gemini'
import { GatewayError } from '../../../../server/gateway/errors'
import { unwrapThinking, type IRStreamEvent } from '../../../../server/gateway/ir'

const START: IRStreamEvent = { type: 'start', id: 'resp-1', model: 'claude-x', created: 1 }

describe('gemini stream encoder', () => {
  it('decode → encode (SSE) → decode gives the same events for every chunk fixture', () => {
    for (const f of fixtureFiles('gemini-chunks', '.chunks.txt')) {
      const first = decodeChunks(fixtureChunks(f))
      const model = (first[0] as { model: string }).model
      const wire = encodeEvents(first, { sse: true, model })
      expect(wire.endsWith('\r\n\r\n')).toBe(true)
      expect(collapse(decodeSSEText(wire))).toEqual(collapse(first))
    }
  })

  it('decode → encode (JSON array) → decode gives the same events', () => {
    for (const f of fixtureFiles('gemini-chunks', '.chunks.txt')) {
      const first = decodeChunks(fixtureChunks(f))
      const wire = encodeEvents(first, { sse: false, model: (first[0] as { model: string }).model })
      expect(wire.startsWith('[{')).toBe(true)
      expect(wire.endsWith('}]')).toBe(true)
      const chunks = JSON.parse(wire) as unknown[]
      expect(collapse(decodeChunks(chunks))).toEqual(collapse(first))
    }
  })

  it('writes the chunk shapes Gemini sends', () => {
    const wire = encodeEvents(
      [
        START,
        ...reasoningBlock(0, ['hmm'], { signature: { origin: 'anthropic', value: 'sigA' } }),
        ...textBlock(1, ['Hi']),
        ...toolCallBlock(2, { id: 'toolu_1', name: 'get' }, ['{"a":', '1}']),
        { type: 'usage', usage: { inputTokens: 10, outputTokens: 0 } },
        { type: 'finish', reason: { unified: 'tool-calls', raw: 'tool_use', rawDialect: 'anthropic' }, usage: { inputTokens: 10, outputTokens: 7, reasoningTokens: 3 } },
      ],
      { sse: true, model: 'gemini-proxy' },
    )
    const chunks = wire.split('\r\n\r\n').filter(Boolean).map((f) => JSON.parse(f.slice('data: '.length)))
    expect(chunks.map((c) => c.candidates[0].content.parts)).toEqual([
      [{ text: 'hmm', thought: true }],
      [{ text: '', thought: true, thoughtSignature: 'rsig1.anthropic.sigA' }],
      [{ text: 'Hi' }],
      [{ functionCall: { id: 'toolu_1', name: 'get', args: { a: 1 } }, thoughtSignature: expect.stringMatching(/^rsig1\.thinking\./) }],
      [{ text: '' }],
    ])
    // the call carries the whole thinking (text + signature) for clients that drop thought parts
    expect(unwrapThinking(chunks[3].candidates[0].content.parts[0].thoughtSignature)).toEqual([
      { type: 'reasoning', text: 'hmm', signature: { origin: 'anthropic', value: 'sigA' } },
    ])
    const last = chunks[chunks.length - 1]
    expect(last.candidates[0].finishReason).toBe('STOP')
    expect(last.usageMetadata).toEqual({ promptTokenCount: 10, candidatesTokenCount: 4, thoughtsTokenCount: 3, totalTokenCount: 17 })
    expect(chunks.every((c) => c.modelVersion === 'gemini-proxy' && c.responseId === 'resp-1')).toBe(true)
  })

  it('an error event is written in-band, then nothing more', () => {
    const err = new GatewayError('rate_limit', 'slow down', { retryAfter: 3 })
    const enc = geminiCodec.createStreamEncoder({ sse: true, model: 'm' })
    enc.push(START)
    const out = enc.push({ type: 'error', error: err })
    expect(out).toBe('data: {"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"3s"}]}}\r\n\r\n')
    expect(enc.push({ type: 'text-delta', index: 0, text: 'x' })).toBe('')
    expect(enc.end()).toBe('')
    const ev = decodeSSEText(out)
    expect(ev[0]).toMatchObject({ type: 'error', error: { kind: 'rate_limit', retryAfter: 3 } })

    const arr = geminiCodec.createStreamEncoder({ sse: false, model: 'm' })
    const text = arr.push({ type: 'text-delta', index: 0, text: 'a' }) + arr.push({ type: 'error', error: err }) + arr.end()
    const parsed = JSON.parse(text)
    expect(parsed).toHaveLength(2)
    expect(parsed[1].error.status).toBe('RESOURCE_EXHAUSTED')
  })

  it('an empty JSON-array stream is []', () => {
    const enc = geminiCodec.createStreamEncoder({ sse: false, model: 'm' })
    expect(enc.push(START) + enc.end()).toBe('[]')
  })
})
