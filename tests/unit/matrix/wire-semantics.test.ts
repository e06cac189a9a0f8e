/**
 * Finish reasons and usage on the WIRE, per pair: every raw finish value an upstream writes is kept
 * (raw + rawDialect), echoed verbatim to a same-dialect client and mapped for the others; usage numbers
 * follow each vendor's semantics (Anthropic input excludes cache, Gemini candidates exclude thoughts).
 */
import { describe, it, expect } from 'vitest'
import type { DialectName, IRResponse, UnifiedFinishReason } from '../../../server/gateway/ir'
import { CODECS } from '../../../server/gateway/registry'
import { PAIRS } from './helpers'
import { WIRE_FINISH, responseCase } from './builders/responses'

type J = any
/** Raw finish values each upstream can write, with their unified meaning. */
const RAW: Record<DialectName, Array<[raw: string, unified: UnifiedFinishReason]>> = {
  'openai-chat': [['stop', 'stop'], ['length', 'length'], ['tool_calls', 'tool-calls'], ['content_filter', 'content-filter']],
  // Responses: `status`, or `incomplete_details.reason`; a finished answer with function calls is 'completed'
  'openai-responses': [['completed', 'stop'], ['max_output_tokens', 'length'], ['content_filter', 'content-filter'], ['completed', 'tool-calls']],
  anthropic: [['end_turn', 'stop'], ['stop_sequence', 'stop'], ['max_tokens', 'length'], ['tool_use', 'tool-calls'], ['refusal', 'content-filter'], ['pause_turn', 'stop']],
  gemini: [['STOP', 'stop'], ['MAX_TOKENS', 'length'], ['SAFETY', 'content-filter'], ['RECITATION', 'content-filter'], ['PROHIBITED_CONTENT', 'content-filter']],
}
const finishOf = (d: DialectName, w: J) => {
  if (d === 'openai-responses') return w.status === 'incomplete' ? w.incomplete_details.reason : w.status
  return d === 'openai-chat' ? w.choices[0].finish_reason : d === 'anthropic' ? w.stop_reason : w.candidates[0].finishReason
}

function ir(raw: string, unified: UnifiedFinishReason, upstream: DialectName): IRResponse {
  const tool = unified === 'tool-calls'
  return {
    id: 'r1', model: 'm', created: 1,
    parts: tool ? [{ type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}' }] : [{ type: 'text', text: 'x' }],
    finish: { unified, raw, rawDialect: upstream, ...(raw === 'stop_sequence' ? { stopSequence: 'END' } : {}) },
    usage: { inputTokens: 1, outputTokens: 1 },
  }
}

describe.each(PAIRS)('finish reason %s client ← %s upstream', (client, upstream) => {
  it.each(RAW[upstream])('%s (%s)', (raw, unified) => {
    const upWire: J = JSON.parse(JSON.stringify(CODECS[upstream].encodeResponse(ir(raw, unified, upstream), 'm')))
    expect(finishOf(upstream, upWire)).toBe(raw)
    const up = CODECS[upstream].decodeResponse(upWire)
    expect(up.finish).toMatchObject({ unified, raw, rawDialect: upstream })
    const clientWire: J = CODECS[client].encodeResponse(up, 'client-model')
    expect(finishOf(client, clientWire)).toBe(client === upstream ? raw : WIRE_FINISH[client][unified])
    if (client === 'anthropic') expect(clientWire.stop_sequence).toBe(raw === 'stop_sequence' ? 'END' : null)
    expect(CODECS[client].decodeResponse(clientWire).finish.unified).toBe(unified)
  })
})

/** Usage of the cache+reasoning case (input 100 = 60 read + 10 written + 30 fresh; output 50 = 20 reasoning + 30) on each wire. */
function expectUsageWire(d: DialectName, w: J, keepsWrite: boolean): void {
  if (d === 'openai-chat') {
    expect(w.usage).toEqual({
      prompt_tokens: 100, completion_tokens: 50, total_tokens: 150,
      prompt_tokens_details: { cached_tokens: 60 }, completion_tokens_details: { reasoning_tokens: 20 },
    })
  } else if (d === 'openai-responses') {
    // input includes cached tokens, output includes reasoning (the IR's own semantics); no cache-write field
    expect(w.usage).toEqual({
      input_tokens: 100, input_tokens_details: { cached_tokens: 60 },
      output_tokens: 50, output_tokens_details: { reasoning_tokens: 20 }, total_tokens: 150,
    })
  } else if (d === 'anthropic') {
    expect(w.usage).toEqual({
      input_tokens: keepsWrite ? 30 : 40, output_tokens: 50,
      cache_read_input_tokens: 60, cache_creation_input_tokens: keepsWrite ? 10 : 0,
      output_tokens_details: { thinking_tokens: 20 },
    })
  } else {
    expect(w.usageMetadata).toEqual({
      promptTokenCount: 100, candidatesTokenCount: 30, thoughtsTokenCount: 20, cachedContentTokenCount: 60, totalTokenCount: 150,
    })
  }
}

describe.each(PAIRS)('usage on the wire %s client ← %s upstream', (client, upstream) => {
  it('upstream and client bodies each use their vendor semantics', () => {
    const upWire: J = JSON.parse(JSON.stringify(CODECS[upstream].encodeResponse(responseCase('usage-cache-reasoning', upstream), 'm')))
    expectUsageWire(upstream, upWire, true)
    const clientWire: J = CODECS[client].encodeResponse(CODECS[upstream].decodeResponse(upWire), 'client-model')
    // cache writes exist only on the Anthropic wire; elsewhere they stay inside the prompt total
    expectUsageWire(client, clientWire, upstream === 'anthropic')
  })
})
