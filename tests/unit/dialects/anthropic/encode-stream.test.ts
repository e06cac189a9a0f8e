import { describe, it, expect } from 'vitest'
import type { IRStreamEvent, IRUsage } from '../../../../server/gateway/ir'
import { GatewayError } from '../../../../server/gateway/errors'
import * as anthropicCodec from '../../../../server/gateway/dialects/anthropic'
import { assertLifecycle, decodeFixture, decodeMessages, encodeAll, expectSdkMessageMatches, parseSSE, sdkFinalMessage, STREAM_FIXTURES } from './helpers'
import { reasoningBlock, textBlock, toolCallBlock } from '../../../helpers/ir-blocks'

/** Everything but usage numbers (the encoder always writes cache counters, as Anthropic does). */
function shape(events: IRStreamEvent[]): unknown[] {
  return events
    .filter((e) => e.type !== 'usage')
    .map((e) => {
      if (e.type === 'start') return { type: 'start', id: e.id, model: e.model }
      if (e.type === 'finish') return { type: 'finish', reason: e.reason }
      return e
    })
}

function finishUsage(events: IRStreamEvent[]): IRUsage | undefined {
  const f = events.find((e) => e.type === 'finish')
  return f?.type === 'finish' ? f.usage : undefined
}

describe('anthropic stream encoder: decode → encode → decode', () => {
  for (const rel of STREAM_FIXTURES) {
    it(`${rel} round-trips`, () => {
      const ir = decodeFixture(rel)
      const model = ir[0]?.type === 'start' ? ir[0].model : ''
      const wire = encodeAll(ir, model)
      expect(wire.endsWith('\n\n')).toBe(true)
      const again = decodeMessages(parseSSE(wire))
      assertLifecycle(again)
      expect(shape(again)).toEqual(shape(ir))
      expect(finishUsage(again)).toMatchObject(finishUsage(ir) ?? {})
    })
  }
})

describe('anthropic stream encoder: the official SDK assembles what we write', () => {
  for (const rel of STREAM_FIXTURES) {
    it(`${rel} through MessageStream`, async () => {
      const ir = decodeFixture(rel)
      expectSdkMessageMatches(await sdkFinalMessage(encodeAll(ir)), ir)
    })
  }

  it('thinking + signature, parallel tool calls, cache usage, stop sequence', async () => {
    const events: IRStreamEvent[] = [
      { type: 'start', id: 'chatcmpl-abc.123', model: 'gpt-x', created: 1 },
      { type: 'usage', usage: { inputTokens: 1000, cacheReadTokens: 800, cacheWriteTokens: 50 } },
      ...reasoningBlock(0, ['Let me ', 'think.'], { signature: { origin: 'gemini', value: 'GEMSIG==' } }),
      ...reasoningBlock(1, ['unsigned']),
      ...toolCallBlock(2, { id: 'call_1', name: 'get_weather' }, ['{"city":', '"Paris"}']),
      ...toolCallBlock(3, { id: 'call_2', name: 'get_time' }, ['{"tz":"CET"}']),
      { type: 'finish', reason: { unified: 'tool-calls', raw: 'tool_calls', rawDialect: 'openai-chat' }, usage: { inputTokens: 1000, outputTokens: 42, cacheReadTokens: 800, cacheWriteTokens: 50, reasoningTokens: 20 } },
    ]
    const wire = encodeAll(events)
    expect(wire).not.toContain('"signature_delta","signature":""')
    expect((wire.match(/signature_delta/g) ?? []).length).toBe(1)
    const msg = await sdkFinalMessage(wire)
    expect(msg.id).toBe('msg_chatcmplabc123')
    expect(msg.model).toBe('claude-test')
    expect(msg.stop_reason).toBe('tool_use')
    expect(msg.content).toEqual([
      { type: 'thinking', thinking: 'Let me think.', signature: 'rsig1.gemini.GEMSIG==' },
      { type: 'thinking', thinking: 'unsigned', signature: '' },
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_2', name: 'get_time', input: { tz: 'CET' } },
    ])
    expect(msg.usage).toMatchObject({
      input_tokens: 150,
      output_tokens: 42,
      cache_read_input_tokens: 800,
      cache_creation_input_tokens: 50,
      output_tokens_details: { thinking_tokens: 20 },
    })
    // And back: the foreign signature comes home with its origin.
    const again = decodeMessages(parseSSE(wire))
    const end = again.find((e) => e.type === 'reasoning-end' && e.index === 0)
    expect(end?.type === 'reasoning-end' ? end.signature : undefined).toEqual({ origin: 'gemini', value: 'GEMSIG==' })
  })

  it('redacted thinking and stop_sequence', async () => {
    const wire = encodeAll([
      { type: 'start', id: 'msg_x', model: 'm', created: 1 },
      ...reasoningBlock(0, [], { redactedData: 'OPAQUE' }),
      ...textBlock(1, ['done']),
      { type: 'finish', reason: { unified: 'stop', stopSequence: '###' }, usage: { inputTokens: 5, outputTokens: 2 } },
    ])
    const msg = await sdkFinalMessage(wire)
    expect(msg.content).toEqual([{ type: 'redacted_thinking', data: 'OPAQUE' }, { type: 'text', text: 'done' }])
    expect(msg.stop_reason).toBe('stop_sequence')
    expect(msg.stop_sequence).toBe('###')
  })

  it('an error is written in-band and the SDK raises it; nothing follows', async () => {
    const enc = anthropicCodec.createStreamEncoder({ model: 'claude-test' })
    let wire = enc.push({ type: 'start', id: 'msg_1', model: 'm', created: 1 })
    wire += enc.push({ type: 'text-start', index: 0 })
    wire += enc.push({ type: 'text-delta', index: 0, text: 'par' })
    const err = enc.push({ type: 'error', error: new GatewayError('overloaded', 'Upstream overloaded') })
    expect(err).toBe('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Upstream overloaded"}}\n\n')
    expect(enc.push({ type: 'text-delta', index: 0, text: 'x' })).toBe('')
    expect(enc.end()).toBe('')
    await expect(sdkFinalMessage(wire + err)).rejects.toMatchObject({ type: 'overloaded_error' })
  })

  it('a stream without a finish still ends well-formed', async () => {
    const enc = anthropicCodec.createStreamEncoder({ model: 'claude-test' })
    let wire = enc.push({ type: 'text-start', index: 0 })
    wire += enc.push({ type: 'text-delta', index: 0, text: 'hi' })
    wire += enc.end()
    const msg = await sdkFinalMessage(wire)
    expect(msg.content).toEqual([{ type: 'text', text: 'hi' }])
    expect(msg.stop_reason).toBe('end_turn')
  })
})
