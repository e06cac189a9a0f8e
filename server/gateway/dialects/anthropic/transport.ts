import type { DialectTransport, ModelListPage } from '../../transport'
import { arr, isRecord, str } from '../../json'

/** Anthropic's `GET /models` page: `data[]`, `has_more` and `last_id` as the next cursor. */
function readModels(json: unknown): ModelListPage {
  if (!isRecord(json)) return { models: [] }
  const models = []
  for (const m of arr(json.data)) {
    if (!isRecord(m) || typeof m.id !== 'string') continue
    const created = str(m.created_at)
    models.push({ id: m.id, displayName: str(m.display_name), created: created ? Math.floor(Date.parse(created) / 1000) : undefined })
  }
  const last = str(json.last_id)
  return { models, next: json.has_more === true && last ? last : undefined }
}

/** Anthropic Messages at api.anthropic.com. */
export const transport: DialectTransport = {
  defaultBaseUrl: 'https://api.anthropic.com/v1',
  auth: { header: 'x-api-key', template: '{key}' },
  headers: { 'anthropic-version': '2023-06-01' },
  forwardedHeaders: ['anthropic-version', 'anthropic-beta'],
  path: (c) => (c.op === 'generate' ? 'messages' : c.op === 'count_tokens' ? 'messages/count_tokens' : undefined),
  models: {
    page: (after) => `models?limit=1000${after ? `&after_id=${encodeURIComponent(after)}` : ''}`,
    read: readModels,
    probe: 'models?limit=1',
  },
  doors: {
    exact: {
      '/v1/messages': { dialect: 'anthropic' },
      '/v1/messages/count_tokens': { dialect: 'anthropic', op: 'count_tokens' },
    },
    speaksAt: (url) => url.startsWith('/v1/messages'),
  },
}
