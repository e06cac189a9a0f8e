import type { DialectCodec } from './codec'
import type { DialectName } from './ir'
import { openaiChatCodec } from './dialects/openai-chat'
import { anthropicCodec } from './dialects/anthropic'
import { geminiCodec } from './dialects/gemini'
import { openaiResponsesCodec } from './dialects/openai-responses'

/**
 * Dialect name → codec: what the gateway looks a dialect up by. A dialect's wire knowledge lives in
 * its folder (dialects/<name>/, the same role files in each: docs/architecture.md "Adding a dialect");
 * outside it, only the transport facts of an upstream (default base URL and auth header in
 * routing/snapshot.ts, endpoint path in attempt.ts) and the DialectName union name it.
 */
export const CODECS: Record<DialectName, DialectCodec> = {
  'openai-chat': openaiChatCodec,
  'openai-responses': openaiResponsesCodec,
  anthropic: anthropicCodec,
  gemini: geminiCodec,
}
