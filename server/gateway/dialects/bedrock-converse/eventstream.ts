/**
 * Bytes of an `application/vnd.amazon.eventstream` body → stream messages. Each binary frame (total
 * length, headers length, prelude CRC, headers, payload, message CRC) is split and checked by
 * @smithy/eventstream-codec, whatever the network chunking: a frame split across chunks waits for
 * its rest, several frames in one chunk all come out.
 *
 * A message becomes `{ event, data }` with the payload text as `data`:
 * - `:message-type: event` → `event` = its `:event-type` (`messageStart`, `contentBlockDelta`, …);
 * - `:message-type: exception` → `event` = `exception:<:exception-type>` (`exception:throttlingException`);
 * - `:message-type: error` → `event` = `error:<:error-code>`, `data` = its `:error-message`.
 */
import { EventStreamCodec, type Message, type MessageHeaders } from '@smithy/eventstream-codec'
import type { FrameReader, SSEMessage } from '../../codec'
import { GatewayError } from '../../errors'
import { maxResponseBytes } from '../../upstream/response-limit'

const utf8Decoder = new TextDecoder()
const toUtf8 = (b: Uint8Array): string => utf8Decoder.decode(b)
const fromUtf8 = (s: string): Uint8Array => new TextEncoder().encode(s)

/** One codec for encoding (tests, the mock upstream) and decoding; it keeps no state between frames of its own. */
export function eventStreamCodec(): EventStreamCodec {
  return new EventStreamCodec(toUtf8, fromUtf8)
}

function headerString(headers: MessageHeaders, name: string): string | undefined {
  const h = headers[name]
  return h && h.type === 'string' ? h.value : undefined
}

/** One decoded eventstream message → the message shape the stream decoder reads. */
export function messageOf(m: Message): SSEMessage {
  const kind = headerString(m.headers, ':message-type') ?? 'event'
  const data = toUtf8(m.body)
  if (kind === 'exception') return { event: `exception:${headerString(m.headers, ':exception-type') ?? 'unknown'}`, data }
  if (kind === 'error') return { event: `error:${headerString(m.headers, ':error-code') ?? 'unknown'}`, data: headerString(m.headers, ':error-message') ?? data }
  return { event: headerString(m.headers, ':event-type') ?? '', data }
}

/** The length a frame's prelude announces, or undefined while fewer than 4 bytes are buffered. */
function announcedLength(buf: Buffer): number | undefined {
  return buf.length >= 4 ? buf.readUInt32BE(0) : undefined
}

/**
 * Bytes → messages. Frames are cut here by their announced length (so one oversized frame is refused
 * before it is buffered whole) and each complete frame is decoded and CRC-checked by the codec.
 */
export function createEventStreamReader(onMessage: (msg: SSEMessage) => void): FrameReader {
  const codec = eventStreamCodec()
  let pending = Buffer.alloc(0)
  const limit = maxResponseBytes()
  return {
    feed(chunk) {
      pending = pending.length === 0 ? Buffer.from(typeof chunk === 'string' ? Buffer.from(chunk) : chunk) : Buffer.concat([pending, typeof chunk === 'string' ? Buffer.from(chunk) : chunk])
      for (;;) {
        const len = announcedLength(pending)
        if (len === undefined) return
        if (len > limit) throw new GatewayError('upstream_error', `the upstream sent a stream event larger than ${Math.round(limit / 1048576)} MB (NUXT_MAX_RESPONSE_MB)`, { status: 502 })
        if (len < 16) throw new GatewayError('upstream_error', `the upstream sent a malformed eventstream frame (length ${len})`, { status: 502 })
        if (pending.length < len) return
        const frame = pending.subarray(0, len)
        pending = pending.subarray(len)
        let m: Message
        try {
          m = codec.decode(frame)
        } catch (e) {
          throw new GatewayError('upstream_error', `the upstream sent a damaged eventstream frame: ${(e as Error).message}`, { status: 502 })
        }
        onMessage(messageOf(m))
      }
    },
    end() {
      if (pending.length > 0) throw new GatewayError('upstream_error', `the upstream's eventstream ended inside a frame (${pending.length} bytes left over)`, { status: 502 })
    },
  }
}

/** One frame as Bedrock writes it: an `event` or an `exception`, its type in the matching header, a JSON body. */
function encodeFrame(messageType: 'event' | 'exception', type: string, payload: unknown): Uint8Array {
  return eventStreamCodec().encode({
    headers: {
      [`:${messageType}-type`]: { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: messageType },
    },
    body: fromUtf8(JSON.stringify(payload)),
  })
}

/** One event as Bedrock frames it (tests and the mock upstream write streams with this). */
export function encodeEvent(eventType: string, payload: unknown): Uint8Array {
  return encodeFrame('event', eventType, payload)
}

/** An exception frame as Bedrock sends one mid-stream. */
export function encodeException(exceptionType: string, message: string): Uint8Array {
  return encodeFrame('exception', exceptionType, { message })
}
