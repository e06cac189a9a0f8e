import type { SSEMessage, StreamDecoder } from '../../../../server/gateway/codec'
import type { IRStreamEvent } from '../../../../server/gateway/ir'
import * as openaiChatCodec from '../../../../server/gateway/dialects/openai-chat'
import { fixtureChunks, fixtureFiles, fixtureText } from '../../../helpers/fixtures'
import { decodeStream, encodeStream, fold, parseSSE } from '../../../helpers/stream'

/** Every recorded Chat stream: OpenAI's own and OpenAI-compatible servers', raw SSE and chunk lists. */
export const STREAM_FIXTURES = [
  ...fixtureFiles('openai-chat-sse', '.sse'),
  ...fixtureFiles('openai-chat-chunks', '.chunks.txt'),
  ...fixtureFiles('openai-compatible-chat', '.sse'),
  ...fixtureFiles('openai-compatible-chat', '.chunks.txt'),
]

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
