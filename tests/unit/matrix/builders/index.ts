import type { DialectName } from '../../../../server/gateway/ir'
import type { RequestBuilders } from './shared'
import { openaiChatRequests } from './openai-chat'
import { anthropicRequests } from './anthropic'
import { geminiRequests } from './gemini'
import { openaiResponsesRequests } from './openai-responses'

export * from './shared'

/** Client dialect → one request builder per case. */
export const REQUEST_BUILDERS: Record<DialectName, RequestBuilders> = {
  'openai-chat': openaiChatRequests,
  'openai-responses': openaiResponsesRequests,
  anthropic: anthropicRequests,
  gemini: geminiRequests,
}
