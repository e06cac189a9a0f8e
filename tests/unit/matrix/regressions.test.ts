/**
 * Regressions: codec bugs the matrix found, pinned as minimal cases (now fixed).
 *
 * Stream usage: a decoder's `finish.usage` is the upstream's final total (the Anthropic decoder: "counters
 * are cumulative totals (latest wins, a final 0 included)"). The Anthropic encoder lets it win, zeros
 * included; the OpenAI and Gemini encoders merge it with `mergeUsage`, which ignores zeros, so an
 * earlier non-zero count (Anthropic message_start's output_tokens: 1) survives. Seen with the recorded
 * anthropic-sdk-python refusal stream (message_start output 1, final message_delta output 0).
 */
import { describe, it, expect } from 'vitest'
import type { IRStreamEvent } from '../../../server/gateway/ir'
import { CODECS } from '../../../server/gateway/registry'
import { encodeStream, parseSSE, wireMessages } from './helpers'

const EVENTS: IRStreamEvent[] = [
  { type: 'start', id: 'msg_1', model: 'm', created: 0, usage: { inputTokens: 20, outputTokens: 1 } },
  { type: 'usage', usage: { inputTokens: 20, outputTokens: 1 } },
  { type: 'text-start', index: 0 },
  { type: 'text-end', index: 0 },
  { type: 'usage', usage: { outputTokens: 0 } },
  { type: 'finish', reason: { unified: 'content-filter', raw: 'refusal', rawDialect: 'anthropic' }, usage: { inputTokens: 20, outputTokens: 0 } },
]

const lastData = (wire: string, sse = true) => wireMessages(wire, sse).filter((m) => m.data !== '[DONE]').map((m) => JSON.parse(m.data)).pop()

describe('finish usage is the final total, zeros included', () => {
  it('anthropic encoder: message_delta output_tokens 0 (control: correct today)', () => {
    const frames = parseSSE(encodeStream(CODECS.anthropic, EVENTS)).map((m) => JSON.parse(m.data))
    expect(frames.find((f) => f.type === 'message_delta').usage.output_tokens).toBe(0)
  })

  // BUG server/gateway/dialects/openai-chat/encode-stream.ts, case 'finish': mergeUsage(usage, ev.usage)
  it('openai-chat encoder: usage chunk completion_tokens should be 0, is 1', () => {
    expect(lastData(encodeStream(CODECS['openai-chat'], EVENTS, { includeUsage: true })).usage.completion_tokens).toBe(0)
  })

  // BUG server/gateway/dialects/gemini/encode-stream.ts, case 'finish': usage = mergeUsage(usage, ev.usage)
  it.each([true, false])('gemini encoder (sse=%s): candidatesTokenCount should be 0, is 1', (sse) => {
    expect(lastData(encodeStream(CODECS.gemini, EVENTS, { sse }), sse).usageMetadata.candidatesTokenCount).toBe(0)
  })

  // BUG (fixed) server/gateway/dialects/openai-responses/encode-stream.ts, case 'finish': usage = mergeUsage(usage, ev.usage)
  it('openai-responses encoder: response.completed usage.output_tokens should be 0, was 1', () => {
    const last = lastData(encodeStream(CODECS['openai-responses'], EVENTS))
    expect(last.type).toBe('response.incomplete')
    expect(last.response.usage).toMatchObject({ input_tokens: 20, output_tokens: 0 })
  })
})
