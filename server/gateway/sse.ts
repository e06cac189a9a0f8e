import { createParser, type EventSourceMessage, type ParseError } from 'eventsource-parser'
import { GatewayError } from './errors'
import { maxResponseBytes } from './upstream/response-limit'
import type { SSEMessage } from './codec'

/**
 * Bytes ⇄ SSE messages. Codecs never see bytes: the upstream stream is split here (eventsource-parser
 * handles \n, \r\n and \r line ends and events split across chunks), and encoders return ready frames.
 */
export function createSSEReader(onMessage: (msg: SSEMessage) => void): {
  feed(chunk: Uint8Array | string): void
  end(): void
} {
  const decoder = new TextDecoder()
  const parser = createParser({
    onEvent(ev: EventSourceMessage) {
      onMessage(ev.event ? { event: ev.event, data: ev.data } : { data: ev.data })
    },
    // One event may not grow past NUXT_MAX_RESPONSE_MB: a stream that never ends its event would
    // otherwise be held whole in memory. The throw ends the relay with an in-band error.
    maxBufferSize: maxResponseBytes(),
    onError(e: ParseError) {
      if (e.type === 'max-buffer-size-exceeded')
        throw new GatewayError('upstream_error', `the upstream sent a stream event larger than ${Math.round(maxResponseBytes() / 1048576)} MB (NUXT_MAX_RESPONSE_MB)`, { status: 502 })
    },
  })
  return {
    feed(chunk) {
      parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }))
    },
    end() {
      const rest = decoder.decode()
      // A final event without its blank line (seen in recorded real traffic) still counts.
      parser.feed(rest + '\n\n')
    },
  }
}

/** One SSE frame. Always ends with a blank line: some SDKs drop an unterminated last event. */
export function sseFrame(data: string, event?: string): string {
  return event ? `event: ${event}\ndata: ${data}\n\n` : `data: ${data}\n\n`
}
