import { describe, it, expect } from 'vitest'
import type { IRStreamEvent } from '../../../../server/gateway/ir'
import * as anthropicCodec from '../../../../server/gateway/dialects/anthropic'
import { assertLifecycle, blockTexts, decodeFixture, decodeMessages, STREAM_FIXTURES } from './helpers'

type Ev<T extends IRStreamEvent['type']> = Extract<IRStreamEvent, { type: T }>
const of = <T extends IRStreamEvent['type']>(evs: IRStreamEvent[], t: T): Ev<T>[] =>
  evs.filter((e): e is Ev<T> => e.type === t)
const finishOf = (evs: IRStreamEvent[]): Ev<'finish'> => {
  const f = of(evs, 'finish')[0]
  if (!f) throw new Error('no finish')
  return f
}

describe('anthropic stream decoder: every fixture', () => {
  it('finds the fixtures', () => {
    expect(STREAM_FIXTURES.length).toBe(14)
  })
  for (const rel of STREAM_FIXTURES) {
    it(`${rel} keeps the IR lifecycle`, () => {
      const evs = decodeFixture(rel)
      assertLifecycle(evs)
      expect(of(evs, 'start')[0]?.id).toMatch(/^msg_/)
    })
  }
})

describe('anthropic stream decoder: concrete values', () => {
  it('basic text (sse)', () => {
    const evs = decodeFixture('anthropic-sse/anthropic-sdk-python-basic_response.sse')
    expect(of(evs, 'start')[0]).toMatchObject({ id: 'msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK', model: 'claude-3-opus-latest' })
    expect(blockTexts(evs)).toEqual({ 0: 'Hello there!' })
    const f = finishOf(evs)
    expect(f.reason).toEqual({ unified: 'stop', raw: 'end_turn', rawDialect: 'anthropic' })
    expect(f.usage).toEqual({ inputTokens: 11, outputTokens: 6 })
  })

  it('text then tool_use (sse)', () => {
    const evs = decodeFixture('anthropic-sse/anthropic-sdk-python-tool_use_response.sse')
    expect(blockTexts(evs)[0]).toBe("I'll check the current weather in Paris for you.")
    expect(of(evs, 'tool-call-start')).toEqual([
      { type: 'tool-call-start', index: 1, id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', name: 'get_weather' },
    ])
    expect(JSON.parse(blockTexts(evs)[1] ?? '')).toEqual({ location: 'Paris' })
    const f = finishOf(evs)
    expect(f.reason.unified).toBe('tool-calls')
    expect(f.reason.raw).toBe('tool_use')
    expect(f.usage).toEqual({ inputTokens: 377, outputTokens: 65, cacheReadTokens: 0, cacheWriteTokens: 0 })
  })

  it('tool_use cut by max_tokens is closed before the finish', () => {
    const evs = decodeFixture('anthropic-sse/anthropic-sdk-python-incomplete_partial_json_response.sse')
    const texts = blockTexts(evs)
    expect(texts[0]).toBe(
      "I'll create a comprehensive tax guide for someone with multiple W2s and save it in a file called taxes.txt. Let me do that for you now.",
    )
    expect(texts[1]?.startsWith('{"filename": "taxes.txt", "lines_of_text": [')).toBe(true)
    expect(of(evs, 'tool-call-end')).toEqual([{ type: 'tool-call-end', index: 1 }])
    const types = evs.map((e) => e.type)
    expect(types.indexOf('tool-call-end')).toBeLessThan(types.indexOf('finish'))
    expect(finishOf(evs).reason).toMatchObject({ unified: 'length', raw: 'max_tokens' })
    expect(finishOf(evs).usage.outputTokens).toBe(124)
  })

  it('refusal (sse and chunks): content-filter, final usage counters win even when 0', () => {
    const sse = decodeFixture('anthropic-sse/anthropic-sdk-python-refusal_response.sse')
    expect(finishOf(sse).reason).toMatchObject({ unified: 'content-filter', raw: 'refusal' })
    expect(finishOf(sse).usage).toEqual({ inputTokens: 20, outputTokens: 0 })
    const chunks = decodeFixture('anthropic-chunks/vercel-anthropic-refusal.chunks.txt')
    expect(chunks.map((e) => e.type)).toEqual(['start', 'usage', 'usage', 'finish'])
    expect(finishOf(chunks).reason.unified).toBe('content-filter')
    expect(finishOf(chunks).usage).toMatchObject({ inputTokens: 18, outputTokens: 5 })
  })

  it('thinking with signature_delta (reasoning summarized)', () => {
    const evs = decodeFixture('anthropic-chunks/vercel-anthropic-claude-sonnet-5-reasoning-summarized.chunks.txt')
    expect(of(evs, 'reasoning-start')).toEqual([{ type: 'reasoning-start', index: 0 }])
    const texts = blockTexts(evs)
    expect(texts[0]).toBe(
      "I'm working through the Euclidean algorithm to find the GCD of 1071 and 462, applying successive division until I reach a remainder of zero, which gives me 21 as the greatest common divisor.",
    )
    expect(texts[1]).toContain('\\gcd(1071, 462) = 21$$')
    const end = of(evs, 'reasoning-end')[0]
    expect(end?.signature?.origin).toBe('anthropic')
    expect(end?.signature?.value.startsWith('EsECCokBCBAYAipA9i3HF1aHpQITkdN8')).toBe(true)
    expect(end?.signature?.value.endsWith('L4oPGAE=')).toBe(true)
    expect(finishOf(evs).usage).toEqual({
      inputTokens: 47, outputTokens: 373, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 62,
    })
  })

  it('clear-thinking and context-editing streams', () => {
    const a = decodeFixture('anthropic-chunks/vercel-anthropic-clear-thinking.1.chunks.txt')
    expect(blockTexts(a)).toEqual({ 0: 'The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185', 1: '925 ÷ 5 = 185' })
    expect(of(a, 'reasoning-end')[0]?.signature?.value.startsWith('EvQBCkYICxgCKkAxhD4N')).toBe(true)
    expect(finishOf(a).usage).toMatchObject({ inputTokens: 69, outputTokens: 53 })
    const b = decodeFixture('anthropic-chunks/vercel-anthropic-combined-context-editing.1.chunks.txt')
    expect(blockTexts(b)[0]?.endsWith('Yes, 25 * 37 = 925')).toBe(true)
    expect(blockTexts(b)[1]?.endsWith('**Answer: 25 × 37 = 925**')).toBe(true)
    expect(finishOf(b).usage).toMatchObject({ inputTokens: 50, outputTokens: 485 })
  })

  it('json tool and tool without arguments', () => {
    const a = decodeFixture('anthropic-chunks/vercel-anthropic-json-tool.1.chunks.txt')
    expect(of(a, 'tool-call-start')[0]).toMatchObject({ index: 0, id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA', name: 'json' })
    expect(JSON.parse(blockTexts(a)[0] ?? '')).toEqual({
      elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }],
    })
    const b = decodeFixture('anthropic-chunks/vercel-anthropic-tool-no-args.chunks.txt')
    // The API streams one empty input_json_delta for a call without arguments: clients get "{}", never "".
    expect(blockTexts(b)).toEqual({ 0: "I'll update the issue list for you.", 1: '{}' })
    expect(of(b, 'tool-call-start')[0]).toMatchObject({ index: 1, id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', name: 'updateIssueList' })
    expect(of(b, 'tool-call-delta')).toEqual([{ type: 'tool-call-delta', index: 1, argumentsDelta: '{}' }])
    expect(finishOf(b).reason.unified).toBe('tool-calls')
  })

  it('input_tokens in message_delta overrides message_start', () => {
    const evs = decodeFixture('anthropic-chunks/vercel-anthropic-message-delta-input-tokens.chunks.txt')
    expect(blockTexts(evs)).toEqual({ 0: 'pong' })
    expect(of(evs, 'usage')[0]?.usage.inputTokens).toBe(43)
    expect(finishOf(evs).usage).toEqual({ inputTokens: 61, outputTokens: 2 })
  })

  it('web search: server tool blocks skipped, IR indexes contiguous', () => {
    const evs = decodeFixture('anthropic-chunks/vercel-anthropic-web-search-tool.1.chunks.txt')
    expect(of(evs, 'tool-call-start')).toHaveLength(0)
    const starts = of(evs, 'text-start')
    expect(starts.map((s) => s.index)).toEqual(Array.from({ length: 19 }, (_, i) => i))
    const all = Object.values(blockTexts(evs)).join('')
    expect(all.startsWith('Based on my search results, here are the key tech news developments from today (')).toBe(true)
    expect(all).toHaveLength(2402)
    expect(finishOf(evs).usage).toMatchObject({ inputTokens: 15665, outputTokens: 795 })
  })

  it('text then tool_use (vercel issue 10781)', () => {
    const evs = decodeFixture('anthropic-chunks/vercel-issue-10781-text-then-tool_use.chunks.txt')
    expect(blockTexts(evs)[0]).toBe('Let me check.')
    expect(of(evs, 'tool-call-start')[0]).toMatchObject({ id: 'toolu_01Ni1uw4HXYxUhc4iFMqx7yY', name: 'get_weather' })
    expect(JSON.parse(blockTexts(evs)[1] ?? '')).toEqual({ city: 'San Francisco' })
  })
})

describe('anthropic stream decoder: edge cases', () => {
  const msg = (o: object) => ({ event: (o as { type: string }).type, data: JSON.stringify(o) })

  it('cache tokens count in inputTokens; redacted thinking; cut stream finishes from end()', () => {
    const evs = decodeMessages([
      msg({ type: 'message_start', message: { id: 'msg_1', model: 'm', usage: { input_tokens: 10, cache_read_input_tokens: 100, cache_creation_input_tokens: 5, output_tokens: 1 } } }),
      msg({ type: 'content_block_start', index: 0, content_block: { type: 'redacted_thinking', data: 'ENCRYPTED' } }),
      msg({ type: 'content_block_stop', index: 0 }),
      msg({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
      msg({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'hi' } }),
    ])
    assertLifecycle(evs)
    expect(of(evs, 'start')[0]?.usage).toEqual({ inputTokens: 115, outputTokens: 1, cacheReadTokens: 100, cacheWriteTokens: 5 })
    expect(of(evs, 'reasoning-start')[0]).toEqual({ type: 'reasoning-start', index: 0, redactedData: 'ENCRYPTED' })
    expect(of(evs, 'reasoning-end')[0]).toEqual({ type: 'reasoning-end', index: 0 })
    expect(finishOf(evs).reason).toEqual({ unified: 'other' })
    expect(finishOf(evs).usage.inputTokens).toBe(115)
  })

  it('an error event ends the stream with a typed error', () => {
    const dec = anthropicCodec.createStreamDecoder()
    dec.push(msg({ type: 'message_start', message: { id: 'msg_1', model: 'm', usage: { input_tokens: 1, output_tokens: 1 } } }))
    const out = dec.push({ event: 'error', data: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' })
    expect(out).toHaveLength(1)
    const e = out[0]
    if (e?.type !== 'error') throw new Error('expected error')
    expect(e.error.kind).toBe('overloaded')
    expect(e.error.message).toBe('Overloaded')
    expect(dec.end()).toEqual([])
  })

  it('a stop_sequence is kept on the finish', () => {
    const evs = decodeMessages([
      msg({ type: 'message_start', message: { id: 'msg_1', model: 'm', usage: { input_tokens: 3, output_tokens: 1 } } }),
      msg({ type: 'message_delta', delta: { stop_reason: 'stop_sequence', stop_sequence: 'END' }, usage: { output_tokens: 4 } }),
      msg({ type: 'message_stop' }),
    ])
    expect(finishOf(evs).reason).toEqual({ unified: 'stop', raw: 'stop_sequence', rawDialect: 'anthropic', stopSequence: 'END' })
  })
})
