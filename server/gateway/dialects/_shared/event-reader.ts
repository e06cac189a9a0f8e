import type { SSEMessage } from '../../codec'
import type { IRStreamEvent } from '../../ir'
import { GatewayError } from '../../errors'
import { isRecord, type Json } from '../../json'

/**
 * Reads the JSON object of each SSE frame a stream decoder is fed, and counts the frames that hold
 * none: such a chunk is skipped (one bad frame must not end a long answer), but never unseen — the
 * relay puts the count on the log row as a warning and on /metrics (StreamDecoder.unparseable).
 * A frame with empty data is a keep-alive, not a lost chunk. The reader also holds whether the
 * stream has ended (its terminal event, an in-band error, or end()), after which a decoder reads no more.
 */
export interface EventReader {
  /** The frame's object, or undefined (counted) when its data is not a JSON object. */
  read(data: string): Json | undefined
  readonly unparseable: number
  /** The stream has ended: the decoder turns every later frame and end() into nothing. */
  readonly stopped: boolean
  stop(): void
}

/** `unwrap` adapts a dialect's framing first (Gemini's JSON-array stream sends `[{...}]`). */
export function createEventReader(unwrap: (v: unknown) => unknown = (v) => v): EventReader {
  let unparseable = 0
  let stopped = false
  return {
    read(data: string): Json | undefined {
      if (data.trim() === '') return undefined
      let v: unknown
      try {
        v = unwrap(JSON.parse(data))
      } catch {
        v = undefined
      }
      if (isRecord(v)) return v
      unparseable++
      return undefined
    },
    get unparseable() {
      return unparseable
    },
    get stopped() {
      return stopped
    },
    stop() {
      stopped = true
    },
  }
}

/**
 * What an unreadable frame yields: nothing (it was counted), or — when the upstream named it
 * `event: error` — its in-band error in its own words (the caller scrubs keys before anyone sees it),
 * which ends the stream (the reader stops).
 */
export function unreadableFrame(msg: SSEMessage, frames: EventReader): IRStreamEvent[] {
  if (msg.event !== 'error') return []
  frames.stop()
  const text = msg.data.trim().slice(0, 500)
  return [{ type: 'error', error: new GatewayError('upstream_error', text === '' ? 'upstream stream error' : `upstream stream error: ${text}`) }]
}

/**
 * A codec's `isTerminalFrame` for a Server-Sent-Events dialect: the upstream's own end is a frame
 * whose `event:` is one of `events`, or (servers that leave `event:` out) whose data matches `data`.
 */
export function terminalFrame(events: readonly string[], data: RegExp): (msg: SSEMessage) => boolean {
  return (msg) => (msg.event !== undefined && events.includes(msg.event)) || data.test(msg.data)
}

/**
 * A codec's `isTallyFrame`: a frame named by its `event:` is judged by that name alone (the bulk of a
 * stream, its deltas, is named, and no regex runs over them); a frame without `event:` by its data.
 */
export function tallyFrame(events: readonly string[], data: RegExp): (msg: SSEMessage) => boolean {
  return (msg) => (msg.event !== undefined ? events.includes(msg.event) : data.test(msg.data))
}
