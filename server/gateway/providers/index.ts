import type { ProviderType } from '../../../shared/schemas/config-file'
import type { ProviderTransport } from './provider-transport'
import { fromDialect } from './from-dialect'
import { azureOpenAI } from './azure-openai'
import { vertex } from './vertex/transport'
import { bedrock } from './bedrock/transport'

export type { ProviderTransport, TransportOptions } from './provider-transport'

/**
 * Provider `type` → its dialect and transport: the one table a new vendor type is added to (its file
 * in this folder plus its name in `PROVIDER_TYPES`, shared/schemas/config-file.ts).
 */
export const PROVIDER_TRANSPORTS: Record<ProviderType, ProviderTransport> = {
  openai: fromDialect('openai-chat'),
  'openai-responses': fromDialect('openai-responses'),
  anthropic: fromDialect('anthropic'),
  gemini: fromDialect('gemini'),
  'azure-openai': azureOpenAI,
  vertex,
  bedrock,
}
