import type { DialectName } from '../../../../server/gateway/ir'
import type { RequestBuilders } from './shared'
import { openaiChatRequests } from './openai-chat'
import { anthropicRequests } from './anthropic'
import { geminiRequests } from './gemini'

export * from './shared'

/** Client dialect → one request builder per case. */
export const REQUEST_BUILDERS: Record<DialectName, RequestBuilders> = {
  'openai-chat': openaiChatRequests,
  anthropic: anthropicRequests,
  gemini: geminiRequests,
}
