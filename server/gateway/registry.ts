import type { DialectCodec, UpstreamCodec } from './codec'
import type { DialectName, UpstreamDialect } from './ir'
import type { DialectTransport } from './transport'
import * as openaiChatCodec from './dialects/openai-chat'
import * as anthropicCodec from './dialects/anthropic'
import * as geminiCodec from './dialects/gemini'
import * as openaiResponsesCodec from './dialects/openai-responses'
import * as bedrockConverseCodec from './dialects/bedrock-converse'
import { transport as openaiChatTransport } from './dialects/openai-chat/transport'
import { transport as openaiResponsesTransport } from './dialects/openai-responses/transport'
import { transport as anthropicTransport } from './dialects/anthropic/transport'
import { transport as geminiTransport } from './dialects/gemini/transport'

/**
 * Dialect name → codec: what the gateway looks a dialect up by. A dialect's wire knowledge lives in
 * its folder (dialects/<name>/, the same role files in each: docs/architecture.md "Adding a dialect");
 * outside it, only the DialectName union and the provider types (providers/) name it.
 */
export const CODECS: Record<DialectName, DialectCodec> = {
  'openai-chat': openaiChatCodec,
  'openai-responses': openaiResponsesCodec,
  anthropic: anthropicCodec,
  gemini: geminiCodec,
}

/** Every dialect an upstream may speak → its codec: the client dialects and Bedrock's Converse API. */
export const UPSTREAM_CODECS: Record<UpstreamDialect, UpstreamCodec> = {
  ...CODECS,
  'bedrock-converse': bedrockConverseCodec,
}

/** Dialect name → the transport facts of its own vendor (`dialects/<name>/transport.ts`). */
export const TRANSPORTS: Record<DialectName, DialectTransport> = {
  'openai-chat': openaiChatTransport,
  'openai-responses': openaiResponsesTransport,
  anthropic: anthropicTransport,
  gemini: geminiTransport,
}
