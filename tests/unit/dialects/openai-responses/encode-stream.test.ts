import { describe, it, expect } from 'vitest'
import type { IRStreamEvent } from '../../../../server/gateway/ir'
import { GatewayError } from '../../../../server/gateway/errors'
import { fixtureFiles } from '../../../helpers/fixtures'
import { assemble, comparable, decodeAll, DIR, encodeAll, fixtureStreams, parseSSE } from './helpers'
import { reasoningBlock, textBlock, toolCallBlock } from '../../../helpers/ir-blocks'

const EVENTS: IRStreamEvent[] = [
  { type: 'start', id: 'msg_abc', model: 'claude-x', created: 1700000000 },
  ...reasoningBlock(0, ['Think ', 'hard.'], { signature: { origin: 'anthropic', value: 'EqSig==' } }),
  ...reasoningBlock(1, [], { redactedData: 'REDACTED' }),
  ...textBlock(2, ['Checking ', 'both.']),
  ...toolCallBlock(3, { id: 'toolu_1', name: 'get_weather' }, ['{"city":', '"Paris"}']),
  ...toolCallBlock(4, { id: 'toolu_2', name: 'get_time' }, ['{}']),
  { type: 'usage', usage: { inputTokens: 50, outputTokens: 0 } },
  { type: 'finish', reason: { unified: 'tool-calls', raw: 'tool_use', rawDialect: 'anthropic' }, usage: { inputTokens: 50, outputTokens: 20, cacheReadTokens: 10 } },
]

describe('openai-responses stream encoder', () => {
  it('writes the full event sequence with sequence numbers, ids and indexes', () => {
    const msgs = parseSSE(encodeAll(EVENTS, 'gpt-x'))
    const evs = msgs.map((m) => ({ event: m.event, ...JSON.parse(m.data) }))
    evs.forEach((e, i) => {
      expect(e.sequence_number).toBe(i)
      expect(e.event).toBe(e.type)
    })
    expect(evs.map((e) => e.type)).toEqual([
      'response.created', 'response.in_progress',
      'response.output_item.added', 'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta', 'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done', 'response.reasoning_summary_part.done', 'response.output_item.done',
      'response.output_item.added', 'response.output_item.done',
      'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.delta',
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done',
      'response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.delta',
      'response.function_call_arguments.done', 'response.output_item.done',
      'response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.done', 'response.output_item.done',
      'response.completed',
    ])
    expect(evs[0].response).toMatchObject({ id: 'resp_msg_abc', object: 'response', status: 'in_progress', model: 'gpt-x', created_at: 1700000000, output: [] })
    const done = evs.filter((e) => e.type === 'response.output_item.done').map((e) => e.item)
    expect(done[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Think hard.' }], encrypted_content: 'rsig1.anthropic.EqSig==' })
    expect(done[1]).toMatchObject({ type: 'reasoning', summary: [], encrypted_content: 'rsig1.anthropic.REDACTED' })
    expect(done[2]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Checking both.', annotations: [] }] })
    expect(done[3]).toMatchObject({ type: 'function_call', call_id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' })
    expect(done[3].id).toMatch(/^fc_/)
    expect(evs[12]).toMatchObject({ output_index: 2, content_index: 0, item_id: done[2].id })
    const completed = evs[evs.length - 1].response
    expect(completed.status).toBe('completed')
    expect(completed.output).toEqual(done)
    expect(completed.usage).toEqual({
      input_tokens: 50, input_tokens_details: { cached_tokens: 10 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 70,
    })
  })

  it('decode → encode → decode gives the same IR (foreign signatures and redacted data come back)', () => {
    const again = decodeAll(parseSSE(encodeAll(EVENTS)))
    const a = assemble(again)
    expect(a.reasoning).toEqual([
      { text: 'Think hard.', signature: { origin: 'anthropic', value: 'EqSig==' } },
      { text: '', redactedData: 'REDACTED' },
    ])
    expect(a.tools.map((t) => t.id)).toEqual(['toolu_1', 'toolu_2'])
    expect(a.finish!.reason.unified).toBe('tool-calls')
  })

  it('every recorded fixture round-trips through the encoder', () => {
    for (const f of fixtureFiles(DIR, '.chunks.txt')) {
      for (const s of fixtureStreams(f)) {
        const first = decodeAll(s)
        const second = decodeAll(parseSSE(encodeAll(first)))
        const strip = (evs: IRStreamEvent[]) => comparable(evs.filter((e) => e.type !== 'usage'))
        if (first.some((e) => e.type === 'error')) {
          expect(second.map((e) => e.type)).toEqual(['start', 'error'])
          continue
        }
        expect(strip(second), f).toEqual(strip(first))
      }
    }
  })

  it('length → response.incomplete with max_output_tokens; raw value echoed', () => {
    const evs = parseSSE(encodeAll([
      { type: 'start', id: 'resp_1', model: 'm', created: 1 },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, text: 'cut' },
      { type: 'text-end', index: 0 },
      { type: 'finish', reason: { unified: 'length' }, usage: { inputTokens: 1, outputTokens: 2 } },
    ]))
    const last = JSON.parse(evs[evs.length - 1]!.data)
    expect(last.type).toBe('response.incomplete')
    expect(last.response).toMatchObject({ id: 'resp_1', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } })
  })

  it('error: an error event then response.failed, nothing after', () => {
    const err = new GatewayError('rate_limit', 'Too many requests', { retryAfter: 12 })
    const text = encodeAll([{ type: 'start', id: 'resp_1', model: 'm', created: 1 }, { type: 'error', error: err }, { type: 'finish', reason: { unified: 'stop' }, usage: { inputTokens: 0, outputTokens: 0 } }])
    const evs = parseSSE(text).map((m) => JSON.parse(m.data))
    expect(evs.map((e) => e.type)).toEqual(['response.created', 'response.in_progress', 'error', 'response.failed'])
    expect(evs[2]).toMatchObject({ code: 'rate_limit_exceeded', error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' } })
    expect(evs[3].response).toMatchObject({ status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Too many requests Please try again in 12s.' } })
    const back = decodeAll(parseSSE(text))
    expect(back[1]).toMatchObject({ type: 'error' })
    expect((back[1] as { error: GatewayError }).error.kind).toBe('rate_limit')
  })
})
