import type { SSEMessage } from '../../server/gateway/codec'
import type { DialectName } from '../../server/gateway/ir'
import { sseFrame } from '../../server/gateway/sse'
import { fixtureMessages as chatMessages, STREAM_FIXTURES as CHAT_FIXTURES } from '../unit/dialects/openai-chat/helpers'
import { fixtureMessages as anthropicMessages, STREAM_FIXTURES as ANTHROPIC_FIXTURES } from '../unit/dialects/anthropic/helpers'
import { DIR as RESPONSES_DIR, fixtureStreams } from '../unit/dialects/openai-responses/helpers'
import { fixtureFiles } from './fixtures'

/** One recorded stream of a dialect a client speaks and an upstream sends (Gemini's are JSON arrays too). */
export interface RecordedStream {
  dialect: DialectName
  name: string
  msgs: SSEMessage[]
}

/** Every recorded OpenAI Chat, Anthropic and Responses stream in tests/fixtures, as SSE messages. */
export function recordedStreams(): RecordedStream[] {
  return [
    ...CHAT_FIXTURES.map((f) => ({ dialect: 'openai-chat' as const, name: f, msgs: chatMessages(f) })),
    ...ANTHROPIC_FIXTURES.map((f) => ({ dialect: 'anthropic' as const, name: f, msgs: anthropicMessages(f) })),
    ...fixtureFiles(RESPONSES_DIR, '.chunks.txt').flatMap((f) => fixtureStreams(f).map((msgs, i) => ({ dialect: 'openai-responses' as const, name: `${f}#${i}`, msgs }))),
  ]
}

/** A stream's wire bytes, cut every `size` bytes (chunk edges fall anywhere, as on a real socket). */
export function wireChunks(s: RecordedStream, size = 97): Buffer[] {
  const wire = Buffer.from(s.msgs.map((m) => sseFrame(m.data, m.event)).join(''))
  const out: Buffer[] = []
  for (let i = 0; i < wire.length; i += size) out.push(wire.subarray(i, i + size))
  return out
}
