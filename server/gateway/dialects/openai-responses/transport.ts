import type { DialectTransport } from '../../transport'
import { readOpenAIModels } from '../openai-chat/transport'

/** OpenAI Responses at api.openai.com. */
export const transport: DialectTransport = {
  defaultBaseUrl: 'https://api.openai.com/v1',
  auth: { header: 'authorization', template: 'Bearer {key}' },
  path: (c) => (c.op === 'generate' ? 'responses' : c.op === 'embeddings' ? 'embeddings' : undefined),
  models: { page: () => 'models', read: readOpenAIModels, probe: 'models' },
  doors: { exact: { '/v1/responses': { dialect: 'openai-responses' } } },
}
