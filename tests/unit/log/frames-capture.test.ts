import { describe, expect, it } from 'vitest'
import { CappedEvents } from '../../../server/gateway/capture-events'
import { FramesCapture } from '../../../server/gateway/capture-frames'
import { createSSEReader, sseFrame } from '../../../server/gateway/sse'
import { CODECS } from '../../../server/gateway/registry'
import { GatewayError } from '../../../server/gateway/errors'
import type { ResponseCapture } from '../../../server/gateway/log-entry'
import { responseText } from '../../../server/services/log/body-record'
import { recordedStreams, wireChunks, type RecordedStream } from '../../helpers/recorded-streams'

/**
 * A same-dialect stream's body is kept as its bytes and decoded on the log thread (FramesCapture +
 * responseText's 'frames' case). What is stored must be exactly what decoding every frame on the
 * event loop into CappedEvents stored before: for every recorded stream, whether the capture stays as
 * bytes, overflows its byte bound mid-stream, or the body cap truncates the deltas.
 */
const MAX = 64 * 1024

/** The stored text with the ids an encoder makes up per call (Responses' message ids) masked. */
const stored = (c: ResponseCapture, maxChars: number) => responseText(c, maxChars).replace(/"(msg|fc|rs|resp)_[a-z0-9]{20,}"/g, '"$1_*"')

/** What the relay kept before: every frame decoded, in order, into CappedEvents (no end()). */
function eventsCapture(s: RecordedStream, maxChars: number): ResponseCapture {
  const events = new CappedEvents(maxChars)
  const decoder = CODECS[s.dialect].createStreamDecoder()
  const reader = createSSEReader((m) => events.push(...decoder.push(m)))
  for (const c of wireChunks(s)) reader.feed(c)
  reader.end()
  return { kind: 'events', events, dialect: s.dialect, model: 'm' }
}

function framesCapture(s: RecordedStream, maxChars: number, maxBytes: number): { cap: FramesCapture; body: ResponseCapture } {
  const cap = new FramesCapture(CODECS[s.dialect], maxChars, maxBytes)
  for (const c of wireChunks(s)) cap.feed(c)
  cap.end()
  return { cap, body: cap.capture(s.dialect, 'm') }
}

const cases = recordedStreams().map((s) => [s.name, s] as const)

describe('a same-dialect stream body kept as bytes', () => {
  it.each(cases)('%s: stored exactly as the decoded events were', (_n, s) => {
    const { body } = framesCapture(s, MAX, 1024 * 1024)
    expect(body.kind).toBe('frames')
    expect(stored(body, MAX)).toBe(stored(eventsCapture(s, MAX), MAX))
  })

  it.each(cases)('%s: past the byte bound it decodes mid-stream, to the same body', (_n, s) => {
    const { body } = framesCapture(s, MAX, 300)
    const bytes = wireChunks(s).reduce((n, c) => n + c.length, 0)
    expect(body.kind).toBe(bytes > 300 ? 'events' : 'frames')
    expect(stored(body, MAX)).toBe(stored(eventsCapture(s, MAX), MAX))
  })

  it.each(cases)('%s: a small body cap truncates the same way', (_n, s) => {
    const { body } = framesCapture(s, 20, 1024 * 1024)
    expect(stored(body, 20)).toBe(stored(eventsCapture(s, 20), 20))
  })

  it('an error event makes the capture decode here, with the error scrubbed of the key', () => {
    const s = recordedStreams().find((x) => x.dialect === 'openai-chat' && x.msgs.length > 10)!
    const scrub = (e: GatewayError) => new GatewayError(e.kind, e.message.replace('sk-secret', '[key]'))
    const cap = new FramesCapture(CODECS['openai-chat'], MAX, 1024 * 1024, scrub)
    cap.feed(Buffer.from(s.msgs.slice(0, 3).map((m) => sseFrame(m.data, m.event)).join('')))
    expect(cap.capture('openai-chat', 'm').kind).toBe('frames')
    cap.feed(Buffer.from(`data: ${JSON.stringify({ error: { message: 'bad key sk-secret', type: 'invalid_request_error' } })}\n\n`))
    cap.sawError()
    const body = cap.capture('openai-chat', 'm')
    expect(body.kind).toBe('events')
    const text = responseText(body, MAX)
    expect(text).toContain('[key]')
    expect(text).not.toContain('sk-secret')
  })

  it('the copy is its own: a reused upstream buffer does not change what is stored', () => {
    const s = recordedStreams().find((x) => x.dialect === 'anthropic')!
    const cap = new FramesCapture(CODECS.anthropic, MAX, 1024 * 1024)
    for (const c of wireChunks(s)) {
      const reused = Buffer.from(c)
      cap.feed(reused)
      reused.fill(0x20)
    }
    cap.end()
    expect(stored(cap.capture('anthropic', 'm'), MAX)).toBe(stored(eventsCapture(s, MAX), MAX))
  })
})
