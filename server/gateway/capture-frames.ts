import type { DialectCodec, FrameReader, StreamDecoder } from './codec'
import type { DialectName, IRStreamEvent } from './ir'
import type { GatewayError } from './errors'
import type { ResponseCapture } from './log-entry'
import { CappedEvents } from './capture-events'
import { createSSEReader } from './sse'

/**
 * The most stream bytes a capture keeps undecoded: a long answer's frames (an OpenAI chunk is ~200
 * bytes around a few characters of text) would otherwise wait in memory for the log thread; past this
 * the capture decodes on the event loop, as every stream did before.
 */
export const FRAMES_MAX_BYTES = 1024 * 1024

/**
 * A same-dialect stream's body for the log, kept as the bytes the client got: the log encoder thread
 * decodes and reassembles them (body-record.ts), where decoding every frame here would cost the event
 * loop about three times what relaying it does (a JSON parse per frame).
 *
 * Bounded: past `maxBytes` of stream (or on any error, whose text must be scrubbed of upstream keys
 * before it is stored) the bytes kept so far are decoded here into CappedEvents and every later chunk
 * with them, exactly as every stream was before; the stored body is the same either way
 * (tests/unit/log/frames-capture.test.ts).
 */
export class FramesCapture {
  private chunks: Buffer[] = []
  private bytes = 0
  /** Set once the capture decodes here: the events, and the reader that feeds them. */
  private events?: CappedEvents
  private reader?: FrameReader

  constructor(
    private readonly codec: DialectCodec,
    /** The body cap (NUXT_LOG_BODY_MAX_KB): what CappedEvents keeps of the deltas. */
    private readonly maxChars: number,
    /** Stream bytes kept undecoded at most. */
    private readonly maxBytes: number,
    private readonly scrubError?: (e: GatewayError) => GatewayError,
  ) {}

  /** One chunk as relayed. Copied: the upstream's buffer may be a slice of a larger one it reuses. */
  feed(chunk: Buffer): void {
    if (this.reader) return this.reader.feed(chunk)
    this.chunks.push(Buffer.from(chunk))
    this.bytes += chunk.length
    if (this.bytes > this.maxBytes) this.decodeHere()
  }

  /** The stream ended (not broken off): a last frame without its blank line still counts. */
  end(): void {
    this.reader?.end()
  }

  /** An event the relay made itself (its in-band error after the stream broke off). */
  add(ev: IRStreamEvent): void {
    this.decodeHere().push(ev)
  }

  /** The upstream sent an error event: the capture is decoded here, where its text is scrubbed. */
  sawError(): void {
    this.decodeHere()
  }

  capture(dialect: DialectName, model: string): ResponseCapture {
    if (this.events) return { kind: 'events', events: this.events, dialect, model }
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bytes)
    return { kind: 'frames', bytes, dialect, model }
  }

  private decodeHere(): CappedEvents {
    if (this.events) return this.events
    const events = new CappedEvents(this.maxChars, this.scrubError)
    const decoder: StreamDecoder = this.codec.createStreamDecoder()
    const reader = framesOf(this.codec, (msg) => events.push(...decoder.push(msg)))
    for (const c of this.chunks) reader.feed(c)
    this.chunks = []
    this.events = events
    this.reader = reader
    return events
  }
}

/**
 * The events a frames capture adds up to: what the relay would have kept had it decoded every frame
 * (each frame pushed, no end(): a stream that broke off stays broken off).
 */
export function framesToEvents(codec: DialectCodec, bytes: Uint8Array, maxChars: number): CappedEvents {
  const events = new CappedEvents(maxChars)
  const decoder = codec.createStreamDecoder()
  const reader = framesOf(codec, (msg) => events.push(...decoder.push(msg)))
  reader.feed(bytes)
  reader.end()
  return events
}

function framesOf(codec: DialectCodec, onMessage: Parameters<typeof createSSEReader>[0]): FrameReader {
  return codec.createFrameReader?.(onMessage) ?? createSSEReader(onMessage)
}
