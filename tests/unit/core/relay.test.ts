import { describe, expect, it } from 'vitest'
import type { ServerResponse } from 'node:http'
import { convertStream, pipeStream, STREAM_HEADERS, type RelayContext } from '../../../server/gateway/http/relay'
import { CODECS } from '../../../server/gateway/registry'
import { GatewayError } from '../../../server/gateway/errors'
import { FakeRes } from '../../helpers/fake-response'

/**
 * The stream relays on a fake response: nothing is committed before the first decoded event (so a
 * broken stream can still fail over), a stream without its terminal event ends in an in-band error
 * (never an empty success), and a client leaving after the terminal event is a success.
 */
const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
const START = frame('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude', content: [], usage: { input_tokens: 5, output_tokens: 0 } } })
const TEXT =
  frame('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) +
  frame('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } })
const END =
  frame('content_block_stop', { type: 'content_block_stop', index: 0 }) +
  frame('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } }) +
  frame('message_stop', { type: 'message_stop' })

/** An upstream body: the chunks, then optionally a thrown error (a reset, or the client's abort). */
async function* body(chunks: string[], fail?: () => Error, before?: () => void) {
  for (const c of chunks) yield Buffer.from(c)
  before?.()
  if (fail) throw fail()
}
const ctx = (signal = { aborted: false }): RelayContext => ({ t0: performance.now(), provider: 'up', signal })
const pipe = (chunks: string[], res: FakeRes, cx = ctx(), fail?: () => Error, before?: () => void) =>
  pipeStream(body(chunks, fail, before) as any, res as unknown as ServerResponse, CODECS.anthropic, CODECS.anthropic, 'claude', cx)
const convert = (chunks: string[], res: FakeRes, cx = ctx(), fail?: () => Error) =>
  convertStream(body(chunks, fail) as any, res as unknown as ServerResponse, CODECS.anthropic, CODECS['openai-chat'].createStreamEncoder({ model: 'gpt', sse: true }), STREAM_HEADERS, cx)
const reset = () => Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })
const aborted = () => Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'UND_ERR_ABORTED' })

describe('same-dialect pipe', () => {
  it('a complete stream goes through byte for byte', async () => {
    const res = new FakeRes()
    const stats = await pipe([START, TEXT, END], res)
    expect(stats.error).toBeUndefined()
    expect(stats.cancelled).toBeUndefined()
    expect(res.text).toBe(START + TEXT + END)
    expect(stats.usage).toMatchObject({ inputTokens: 5, outputTokens: 3 })
  })

  it('a stream without any readable event throws before anything is sent (it may fail over)', async () => {
    const res = new FakeRes()
    const e = await pipe(['data: {not json\n\n', 'data: <html>\n\n'], res).catch((x) => x)
    expect(GatewayError.is(e) && e.kind).toBe('upstream_error')
    expect(e.message).toContain('without any readable event')
    expect(res.headersSent).toBe(false)
    expect(res.text).toBe('')
  })

  it('a reset before the first event throws before anything is sent', async () => {
    const res = new FakeRes()
    const e = await pipe([], res, ctx(), reset).catch((x) => x)
    expect(GatewayError.is(e) && e.kind).toBe('connection')
    expect(res.headersSent).toBe(false)
  })

  it('an in-band error as the first event throws it (an overloaded upstream fails over)', async () => {
    const res = new FakeRes()
    const e = await pipe([frame('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })], res).catch((x) => x)
    expect(GatewayError.is(e) && e.kind).toBe('overloaded')
    expect(res.headersSent).toBe(false)
  })

  it('a stream cut before its terminal event ends with an in-band error in the client dialect', async () => {
    const res = new FakeRes()
    const stats = await pipe([START, TEXT], res)
    expect(res.status).toBe(200)
    expect(stats.error).toMatchObject({ kind: 'upstream_error', message: expect.stringContaining('before its final event') })
    expect(res.text.startsWith(START + TEXT)).toBe(true)
    expect(res.text).toContain('event: error')
    expect(res.text).not.toContain('message_stop')
  })

  it('a reset after the first event is reported in-band', async () => {
    const res = new FakeRes()
    const stats = await pipe([START, TEXT], res, ctx(), reset)
    expect(stats.error?.kind).toBe('connection')
    expect(res.text).toContain('event: error')
  })

  it('the client closing right after the terminal event is a success', async () => {
    const res = new FakeRes()
    const signal = { aborted: false }
    const stats = await pipe([START, TEXT, END], res, ctx(signal), aborted, () => {
      signal.aborted = true
      res.destroyed = true
    })
    expect(stats.error).toBeUndefined()
    expect(stats.cancelled).toBeUndefined()
  })

  it('the client leaving before the terminal event is cancelled, not an error', async () => {
    const res = new FakeRes()
    const signal = { aborted: false }
    const stats = await pipe([START, TEXT], res, ctx(signal), aborted, () => {
      signal.aborted = true
      res.destroyed = true
    })
    expect(stats.error).toBeUndefined()
    expect(stats.cancelled).toBe(true)
  })
})

describe('converted stream', () => {
  it('a complete stream converts and ends cleanly', async () => {
    const res = new FakeRes()
    const stats = await convert([START, TEXT, END], res)
    expect(stats.error).toBeUndefined()
    expect(res.text).toContain('"content":"Hello"')
    expect(res.text).toContain('data: [DONE]')
  })

  it('no readable event: throws before the headers', async () => {
    const res = new FakeRes()
    const e = await convert(['data: garbage\n\n'], res).catch((x) => x)
    expect(GatewayError.is(e)).toBe(true)
    expect(res.headersSent).toBe(false)
  })

  it('cut before its terminal event: an in-band error, never a made-up clean finish', async () => {
    const res = new FakeRes()
    const stats = await convert([START, TEXT], res)
    expect(stats.error?.kind).toBe('upstream_error')
    expect(res.text).toContain('"content":"Hello"')
    expect(res.text).not.toContain('"finish_reason":"stop"')
    expect(res.text).toContain('"error"')
  })
})

describe('terminal events per dialect', () => {
  it('recognises each vendor\'s last frame and nothing before it', () => {
    expect(CODECS['openai-chat'].isTerminalFrame({ data: '[DONE]' })).toBe(true)
    expect(CODECS['openai-chat'].isTerminalFrame({ data: '{"choices":[{"delta":{},"finish_reason": "stop"}]}' })).toBe(true)
    expect(CODECS['openai-chat'].isTerminalFrame({ data: '{"choices":[{"delta":{"content":"x"},"finish_reason":null}]}' })).toBe(false)
    expect(CODECS['anthropic'].isTerminalFrame({ event: 'message_stop', data: '{"type":"message_stop"}' })).toBe(true)
    expect(CODECS['anthropic'].isTerminalFrame({ event: 'message_delta', data: '{"type":"message_delta"}' })).toBe(false)
    expect(CODECS['openai-responses'].isTerminalFrame({ event: 'response.completed', data: '{}' })).toBe(true)
    expect(CODECS['openai-responses'].isTerminalFrame({ data: '{"type":"response.incomplete"}' })).toBe(true)
    expect(CODECS['openai-responses'].isTerminalFrame({ data: '{"type":"response.output_text.delta"}' })).toBe(false)
    expect(CODECS['gemini'].isTerminalFrame({ data: '{"candidates":[{"finishReason":"STOP"}]}' })).toBe(true)
    expect(CODECS['gemini'].isTerminalFrame({ data: '{"candidates":[{"content":{}}]}' })).toBe(false)
  })
})

describe('unreadable upstream frames mid-stream', () => {
  const GARBAGE = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_del\n\n'

  it('same dialect: the bytes still go through, and the skipped frame is counted in the stats', async () => {
    const res = new FakeRes()
    const stats = await pipe([START, TEXT, GARBAGE, END], res)
    expect(res.text).toBe(START + TEXT + GARBAGE + END)
    expect(stats.error).toBeUndefined()
    expect(stats.unparseable).toBe(1)
  })

  it('converted: the answer completes and the skipped frame is counted in the stats', async () => {
    const res = new FakeRes()
    const stats = await convert([START, TEXT, GARBAGE, END], res)
    expect(stats.error).toBeUndefined()
    expect(res.text).toContain('Hello')
    expect(res.text).toContain('[DONE]')
    expect(stats.unparseable).toBe(1)
  })

  it('a clean stream reports no count at all', async () => {
    const stats = await pipe([START, TEXT, END], new FakeRes())
    expect(stats.unparseable).toBeUndefined()
  })
})
