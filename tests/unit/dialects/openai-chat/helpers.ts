import type { SSEMessage, StreamDecoder } from '../../../../server/gateway/codec'
import type { IRStreamEvent } from '../../../../server/gateway/ir'
import { openaiChatCodec } from '../../../../server/gateway/dialects/openai-chat'
import { fixtureChunks, fixtureText } from '../../../helpers/fixtures'
import { decodeStream, encodeStream, fold, parseSSE } from '../../../helpers/stream'

/** A fixture file (raw `.sse` or `.chunks.txt`) → SSE messages. Chunk files get no `[DONE]`. */
export function fixtureMessages(rel: string): SSEMessage[] {
  if (rel.endsWith('.sse')) return parseSSE(fixtureText(rel))
  return fixtureChunks(rel).map((c) => ({ data: JSON.stringify(c) }))
}

export function decodeAll(msgs: SSEMessage[], dec: StreamDecoder = openaiChatCodec.createStreamDecoder()): IRStreamEvent[] {
  return decodeStream(openaiChatCodec, msgs, dec)
}

export { fold, parseSSE }

/** Runs IR events through the encoder and returns the wire text. */
export function encodeAll(events: IRStreamEvent[], includeUsage?: boolean, model = 'client-model'): string {
  return encodeStream(openaiChatCodec, events, { model, includeUsage })
}

/** Strips values that legitimately differ between two decodes of the same stream. */
export function comparable(events: IRStreamEvent[]): unknown[] {
  return events.map((ev) => {
    if (ev.type === 'start') return { type: 'start' }
    if (ev.type === 'finish') return { type: 'finish', unified: ev.reason.unified }
    return ev
  })
}
