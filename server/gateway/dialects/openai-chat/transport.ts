import type { DialectTransport, ModelListPage } from '../../transport'
import { percentDecode } from '../../http/percent-decode'
import { badEncoding } from '../../http/door-refusal'
import { arr, isRecord } from '../../json'

/** OpenAI's `GET /models` page (also every compatible server's and Azure's): `data[].id`, no pagination. */
export function readOpenAIModels(json: unknown): ModelListPage {
  const data = isRecord(json) ? arr(json.data) : []
  const models = []
  for (const m of data) if (isRecord(m) && typeof m.id === 'string') models.push({ id: m.id, created: typeof m.created === 'number' ? m.created : undefined })
  return { models }
}

/** OpenAI Chat Completions at api.openai.com (and every OpenAI-compatible server). */
export const transport: DialectTransport = {
  defaultBaseUrl: 'https://api.openai.com/v1',
  auth: { header: 'authorization', template: 'Bearer {key}' },
  path: (c) => (c.op === 'generate' ? 'chat/completions' : c.op === 'embeddings' ? 'embeddings' : undefined),
  models: { page: () => 'models', read: readOpenAIModels, probe: 'models' },
  doors: {
    exact: {
      '/v1/chat/completions': { dialect: 'openai-chat' },
      '/v1/embeddings': { dialect: 'openai-chat', op: 'embeddings' },
    },
    // `/v1/{provider}/chat/completions` (and `/completions`) forces a provider and skips routing.
    match(path, query) {
      if (!path.startsWith('/v1/')) return undefined
      const rest = path.slice(4)
      const slash = rest.indexOf('/')
      if (slash <= 0) return undefined
      const tail = rest.slice(slash)
      if (tail !== '/chat/completions' && tail !== '/completions') return undefined
      const forcedProvider = percentDecode(rest.slice(0, slash))
      return forcedProvider === undefined ? badEncoding('openai-chat', path) : { dialect: 'openai-chat', query, forcedProvider }
    },
  },
}
