import type { DialectCodec } from './codec'
import type { DialectName } from './ir'
import { openaiChatCodec } from './dialects/openai-chat'
import { anthropicCodec } from './dialects/anthropic'
import { geminiCodec } from './dialects/gemini'
import { openaiResponsesCodec } from './dialects/openai-responses'

/** Dialect name → codec. The only place that knows every dialect. */
export const CODECS: Record<DialectName, DialectCodec> = {
  'openai-chat': openaiChatCodec,
  'openai-responses': openaiResponsesCodec,
  anthropic: anthropicCodec,
  gemini: geminiCodec,
}
