import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Database } from '../../../server/services/db/database'
import { RequestLogWriter } from '../../../server/services/log/request-log-writer'
import { RequestBodyWriter } from '../../../server/services/log/request-body-writer'
import { EncoderThread, type EncoderThreadFile } from '../../../server/services/log/encoding/encoder-thread'
import type { RequestLogEntry } from '../../../server/gateway/log-entry'
import { GatewayError } from '../../../server/gateway/errors'
import { entry } from '../ops/fakes'
import { CappedEvents } from '../../../server/gateway/capture-events'
import { FramesCapture } from '../../../server/gateway/capture-frames'
import { CODECS } from '../../../server/gateway/registry'
import { encodeStream } from '../../helpers/stream'
import { responseToEvents, type IRResponse } from '../../../server/gateway/ir'

const streamed = (i: number): IRResponse => ({
  id: `msg_${i}`,
  model: 'm',
  created: 1,
  parts: [
    { type: 'reasoning', text: 'thinking it over' },
    { type: 'text', text: `streamed ${i}` },
  ],
  finish: { unified: 'stop' },
  usage: { inputTokens: 12, outputTokens: 7 },
})

// The thread's TypeScript source, run under tsx (the built server runs the bundled .mjs instead).
const THREAD: EncoderThreadFile = { file: fileURLToPath(new URL('../../support/ts-encoder-worker.mjs', import.meta.url)) }
const DYING: EncoderThreadFile = { file: fileURLToPath(new URL('./fixtures/dying-encoder-worker.mjs', import.meta.url)) }
const MISSING: EncoderThreadFile = { file: '/nonexistent/log-encoder-worker.mjs' }

const dbs: Database[] = []
afterEach(() => {
  while (dbs.length) dbs.pop()!.close()
})

/** Entries that exercise every kind of value and body the writers handle. */
function entries(): RequestLogEntry[] {
  const out: RequestLogEntry[] = []
  for (let i = 0; i < 300; i++) {
    const e = entry({
      ts: new Date(Date.UTC(2026, 11, 4, 12, 0, 0, i)),
      requestId: `r${i}`,
      errorMessage: i % 7 === 0 ? 'said "no",\nthen\tnothing \u0000 更多 😀 \\ end' : null,
      model: i === 5 ? 'bad\ud800model' : 'smart',
      attempts: i % 3 === 0 ? [{ provider: 'p', model: 'm', keyId: 1, status: 429, errorKind: 'rate_limit', latencyMs: 3 }] : undefined,
      usage: { inputTokens: i, outputTokens: 2 * i },
    })
    if (i % 4 === 0) e.requestBody = new Uint8Array(Buffer.from(JSON.stringify({ model: 'smart', api_key: 'sk-secret-body-key-0000000000', messages: [{ role: 'user', content: `hi ${i}` }] })))
    if (i % 4 === 1) e.requestBody = { model: 'smart', messages: [{ role: 'user', content: `built ${i}` }] }
    if (i % 4 === 0) e.responseBody = { kind: 'text', text: `{"id":"x${i}","choices":[]}` }
    if (i % 4 === 1) e.responseBody = { kind: 'error', error: new GatewayError('rate_limit', `slow down ${i}`), dialect: 'openai-chat' }
    if (i % 4 === 2) {
      // As the relay captures them: in a CappedEvents (an Array subclass holding a function).
      const events = new CappedEvents(64 * 1024, (err) => err)
      events.push(...responseToEvents(streamed(i), 3))
      e.responseBody = { kind: 'events', dialect: 'anthropic', model: 'claude-x', events }
    }
    // A same-dialect stream as the relay keeps it: its bytes, decoded on the thread.
    if (i % 8 === 6) {
      const frames = new FramesCapture(CODECS.anthropic, 64 * 1024, 1024 * 1024)
      frames.feed(Buffer.from(encodeStream(CODECS.anthropic, responseToEvents(streamed(i), 3), { model: 'claude-x' })))
      frames.end()
      e.responseBody = frames.capture('anthropic', 'claude-x')
    }
    // A stream that broke off: the in-band error (a GatewayError) must keep its kind across the thread.
    if (i % 4 === 3) e.responseBody = { kind: 'events', dialect: 'openai-chat', model: 'gpt-x', events: [...responseToEvents(streamed(i), 2).slice(0, 4), { type: 'error', error: new GatewayError('rate_limit', `broke off ${i}`) }] }
    out.push(e)
  }
  // One row that cannot encode (a BigInt): dropped and counted alone, by either encoder.
  out.push(entry({ requestId: 'r-bigint', attempts: [{ provider: 'p', model: 'm', keyId: 1, status: 200, errorKind: null, latencyMs: 10n as unknown as number }] }))
  return out
}

async function writeAll(thread: EncoderThreadFile | null) {
  const db = await Database.open(':memory:')
  dbs.push(db)
  const w = new RequestLogWriter(db, 50_000, 60_000, thread)
  const b = new RequestBodyWriter(() => db.connect(), 64 * 1024, 2_000, 60_000, undefined, thread)
  const list = entries()
  // Pushed in three rounds with flushes between, as the timers would.
  for (const [i, e] of list.entries()) {
    w.push(e)
    b.push(e)
    if (i === 100 || i === 200) await Promise.all([w.flush(), b.flush()])
  }
  const encodedOn = [w.encodedOn, b.encodedOn]
  await Promise.all([w.close(), b.close()])
  const meta = await db.all('SELECT * EXCLUDE (ts), epoch_ms(ts) AS ms FROM request_log ORDER BY request_id')
  const bodies = await db.all('SELECT * EXCLUDE (ts), epoch_ms(ts) AS ms FROM request_bodies ORDER BY request_id')
  return { meta, bodies, encodedOn, counts: { written: [w.written, b.written], dropped: [w.dropped, b.dropped] } }
}

describe('the log encoder thread', () => {
  it('writes exactly the rows the event loop would: metadata, redacted bodies, reassembled streams, errors', async () => {
    const inline = await writeAll(null)
    const threaded = await writeAll(THREAD)
    expect(inline.counts).toEqual({ written: [300, 300], dropped: [1, 0] })
    expect(inline.encodedOn).toEqual(['inline', 'inline'])
    expect(threaded.encodedOn).toEqual(['thread', 'thread'])
    expect(threaded.counts).toEqual(inline.counts)
    expect(threaded.meta).toEqual(inline.meta)
    expect(threaded.bodies).toEqual(inline.bodies)
    // What the rows hold, not only that both agree.
    const b0 = threaded.bodies.find((r) => r.request_id === 'r0')!
    expect(b0.request_body).toBe('{"model":"smart","api_key":"[redacted]","messages":[{"role":"user","content":"hi 0"}]}')
    const b2 = threaded.bodies.find((r) => r.request_id === 'r2')!
    expect(JSON.parse(b2.response_body as string)).toMatchObject({ type: 'message', model: 'claude-x', content: [{ type: 'thinking', thinking: 'thinking it over' }, { type: 'text', text: 'streamed 2' }] })
    // Kept as bytes (a same-dialect stream), reassembled on the thread into the same message.
    const b6 = threaded.bodies.find((r) => r.request_id === 'r6')!
    expect(JSON.parse(b6.response_body as string)).toMatchObject({ type: 'message', model: 'claude-x', content: [{ type: 'thinking', thinking: 'thinking it over' }, { type: 'text', text: 'streamed 6' }] })
    const b3 = threaded.bodies.find((r) => r.request_id === 'r3')!
    expect(JSON.parse(b3.response_body as string).stream_error).toMatchObject({ error: { type: 'rate_limit_error', message: 'broke off 3' } })
    const b1 = threaded.bodies.find((r) => r.request_id === 'r1')!
    expect(JSON.parse(b1.response_body as string)).toMatchObject({ error: { message: 'slow down 1' } })
    expect(threaded.meta.find((r) => r.request_id === 'r5')!.model).toBe('bad\ufffdmodel')
  }, 30_000)

  it.each([
    ['dies mid-batch: that batch and all later ones are encoded inline', DYING],
    ['cannot start: every batch is encoded inline', MISSING],
  ])('a thread that %s, and nothing is lost', async (_what, thread) => {
    const inline = await writeAll(null)
    const fallen = await writeAll(thread)
    expect(fallen.encodedOn).toEqual(['inline', 'inline'])
    expect(fallen.counts).toEqual(inline.counts)
    expect(fallen.meta).toEqual(inline.meta)
    expect(fallen.bodies).toEqual(inline.bodies)
  }, 30_000)

  it('items that cannot cross to the thread are encoded inline, the others on the thread', async () => {
    const db = await Database.open(':memory:')
    dbs.push(db)
    const b = new RequestBodyWriter(() => db.connect(), 64 * 1024, 2_000, 60_000, undefined, THREAD)
    b.push(entry({ requestId: 'ok-1', requestBody: { a: 1 } }))
    await b.flush()
    // A body the gateway built holding something a structured clone refuses (a function).
    b.push(entry({ requestId: 'odd', requestBody: { a: 2, toJSON: () => ({ a: 'as JSON' }) } }))
    b.push(entry({ requestId: 'ok-2', requestBody: { a: 3 } }))
    await b.close()
    expect([b.written, b.dropped]).toEqual([3, 0])
    const rows = await db.all<{ request_id: string; request_body: string }>('SELECT request_id, request_body FROM request_bodies ORDER BY request_id')
    expect(rows).toEqual([
      { request_id: 'odd', request_body: '{"a":"as JSON"}' },
      { request_id: 'ok-1', request_body: '{"a":1}' },
      { request_id: 'ok-2', request_body: '{"a":3}' },
    ])
  }, 30_000)

  it('entries go to the thread within 5 ms of the first one queued, and no timer is left while idle', async () => {
    const db = await Database.open(':memory:')
    dbs.push(db)
    const post = vi.spyOn(EncoderThread.prototype, 'post')
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    try {
      const w = new RequestLogWriter(db, 50_000, 60_000, THREAD)
      const handed = () => post.mock.calls.filter(([m]) => m.t === 'add').length
      // The writer's own flush interval: the only timer of an idle writer.
      const idle = vi.getTimerCount()
      w.push(entry({ requestId: 'h-1' }))
      w.push(entry({ requestId: 'h-2' }))
      expect(vi.getTimerCount()).toBe(idle + 1)
      vi.advanceTimersByTime(4)
      expect(handed()).toBe(0)
      vi.advanceTimersByTime(1)
      // Both in one hand-over, and the timer is gone with it.
      expect(handed()).toBe(1)
      expect(vi.getTimerCount()).toBe(idle)
      w.push(entry({ requestId: 'h-3' }))
      vi.advanceTimersByTime(5)
      expect(handed()).toBe(2)
      vi.useRealTimers()
      await w.close()
      expect([w.written, w.dropped]).toEqual([3, 0])
      const rows = await db.all<{ request_id: string }>('SELECT request_id FROM request_log ORDER BY request_id')
      expect(rows.map((r) => r.request_id)).toEqual(['h-1', 'h-2', 'h-3'])
    } finally {
      vi.useRealTimers()
      post.mockRestore()
    }
  }, 30_000)
})
