import { describe, expect, it } from 'vitest'
import type { SSEMessage } from '../../../../server/gateway/codec'
import type { DialectName, IRStreamEvent } from '../../../../server/gateway/ir'
import { CODECS } from '../../../../server/gateway/registry'

/**
 * Item 3 of issue 20: a stream frame that does not parse is skipped (one bad frame must not end a
 * long answer) but counted, so the relay can surface it; a frame the upstream named `error` is its
 * in-band error even when its data is not JSON.
 */
const m = (data: unknown, event?: string): SSEMessage => ({ data: typeof data === 'string' ? data : JSON.stringify(data), ...(event ? { event } : {}) }) as SSEMessage

const STREAMS: Record<DialectName, { frames: SSEMessage[]; errorEvent: boolean }> = {
  'openai-chat': {
    frames: [
      m({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }] }),
      m({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: ' there' }, finish_reason: 'stop' }] }),
      m('[DONE]'),
    ],
    errorEvent: true,
  },
  anthropic: {
    frames: [
      m({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude', content: [], usage: { input_tokens: 5, output_tokens: 0 } } }, 'message_start'),
      m({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start'),
      m({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }, 'content_block_delta'),
      m({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ' there' } }, 'content_block_delta'),
      m({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
      m({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } }, 'message_delta'),
      m({ type: 'message_stop' }, 'message_stop'),
    ],
    errorEvent: true,
  },
  'openai-responses': {
    frames: [
      m({ type: 'response.created', response: { id: 'resp_1', object: 'response', created_at: 1, model: 'm', status: 'in_progress', output: [] } }, 'response.created'),
      m({ type: 'response.output_item.added', output_index: 0, item: { type: 'message', id: 'msg_1', role: 'assistant', status: 'in_progress', content: [] } }, 'response.output_item.added'),
      m({ type: 'response.output_text.delta', output_index: 0, content_index: 0, item_id: 'msg_1', delta: 'Hi' }, 'response.output_text.delta'),
      m({ type: 'response.output_text.delta', output_index: 0, content_index: 0, item_id: 'msg_1', delta: ' there' }, 'response.output_text.delta'),
      m({ type: 'response.completed', response: { id: 'resp_1', object: 'response', created_at: 1, model: 'm', status: 'completed', output: [], usage: { input_tokens: 1, output_tokens: 2 } } }, 'response.completed'),
    ],
    errorEvent: true,
  },
  gemini: {
    frames: [
      m({ candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }] } }], modelVersion: 'm', responseId: 'r1' }),
      m({ candidates: [{ content: { role: 'model', parts: [{ text: ' there' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 2 }, modelVersion: 'm', responseId: 'r1' }),
    ],
    // Gemini's stream has no named events: an unreadable frame can only be counted.
    errorEvent: false,
  },
}

function decode(dialect: DialectName, frames: SSEMessage[]) {
  const d = CODECS[dialect].createStreamDecoder()
  const events: IRStreamEvent[] = []
  for (const f of frames) events.push(...d.push(f))
  events.push(...d.end())
  // `start.created` may be the decoding second: not what this test is about.
  return { events: events.map((e) => (e.type === 'start' ? { ...e, created: 0 } : e)), unparseable: d.unparseable() }
}

const text = (events: IRStreamEvent[]) => events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('')

describe.each(Object.keys(STREAMS) as DialectName[])('%s stream decoder: unreadable frames', (dialect) => {
  const { frames, errorEvent } = STREAMS[dialect]

  it('a clean stream counts nothing', () => {
    const clean = decode(dialect, frames)
    expect(text(clean.events)).toBe('Hi there')
    expect(clean.unparseable).toBe(0)
  })

  it('skips and counts frames that are not JSON objects, keeping every other event; empty keep-alives are not counted', () => {
    const bad = [m('{"truncated'), m('not json at all'), m('42'), m('')]
    const noisy = [frames[0]!, bad[0]!, ...frames.slice(1, -1), bad[1]!, bad[2]!, bad[3]!, frames.at(-1)!]
    const got = decode(dialect, noisy)
    expect(got.unparseable).toBe(3)
    expect(got.events).toEqual(decode(dialect, frames).events)
  })

  it(errorEvent ? "an `event: error` frame whose data is not JSON is the upstream's in-band error" : 'has no named error event: such a frame is only counted', () => {
    const got = decode(dialect, [frames[0]!, m('upstream exploded <html>', 'error'), ...frames.slice(1)])
    const err = got.events.find((e) => e.type === 'error')
    if (!errorEvent) {
      expect(err).toBeUndefined()
      expect(got.unparseable).toBe(1)
      expect(text(got.events)).toBe('Hi there')
      return
    }
    expect(err?.type === 'error' && err.error.message).toBe('upstream stream error: upstream exploded <html>')
    expect(err?.type === 'error' && err.error.kind).toBe('upstream_error')
    // Nothing after the error is decoded: it ended the stream.
    expect(text(got.events)).toBe(text(decode(dialect, [frames[0]!]).events))
  })
})
