import type { Door } from '../door'

/**
 * URL → the public door it is, without allocating a URL object (this runs on every request):
 * `/v1/chat/completions`, `/v1/{provider}/chat/completions` (and `/completions`), `/v1/responses`,
 * `/v1/messages`, `/v1beta/models/{model}:{method}` and `/v1/models/{model}:{method}`.
 * Returns undefined for anything else (model lists, admin, UI: the Nitro router's business), and
 * `'bad-gemini-method'` for a Gemini path with a method we do not serve.
 */
const GEMINI_OPS: Record<string, Door['op']> = { embedContent: 'embeddings', batchEmbedContents: 'embeddings', countTokens: 'count_tokens' }

export function doorFor(url: string): Door | 'bad-gemini-method' | undefined {
  const q = url.indexOf('?')
  const path = q < 0 ? url : url.slice(0, q)
  const query = q < 0 ? '' : url.slice(q + 1)
  switch (path) {
    case '/v1/chat/completions':
      return { dialect: 'openai-chat', query }
    case '/v1/messages':
      return { dialect: 'anthropic', query }
    case '/v1/responses':
      return { dialect: 'openai-responses', query }
    case '/v1/embeddings':
      return { dialect: 'openai-chat', query, op: 'embeddings' }
    case '/v1/messages/count_tokens':
      return { dialect: 'anthropic', query, op: 'count_tokens' }
  }
  const gm = path.startsWith('/v1beta/models/') ? 15 : path.startsWith('/v1/models/') ? 11 : 0
  if (gm) {
    const target = decodeURIComponent(path.slice(gm))
    const colon = target.lastIndexOf(':')
    if (colon <= 0 || target.includes('/')) return colon > 0 ? 'bad-gemini-method' : undefined
    const method = target.slice(colon + 1)
    const op = GEMINI_OPS[method]
    if (op) return { dialect: 'gemini', query, op, gemini: { model: target.slice(0, colon), stream: false, sse: false, batch: method === 'batchEmbedContents' } }
    if (method !== 'generateContent' && method !== 'streamGenerateContent') return 'bad-gemini-method'
    const stream = method === 'streamGenerateContent'
    return { dialect: 'gemini', query, gemini: { model: target.slice(0, colon), stream, sse: stream && /(?:^|&)alt=sse(?:&|$)/.test(query) } }
  }
  if (path.startsWith('/v1/')) {
    const rest = path.slice(4)
    const slash = rest.indexOf('/')
    if (slash > 0) {
      const tail = rest.slice(slash)
      if (tail === '/chat/completions' || tail === '/completions')
        return { dialect: 'openai-chat', query, forcedProvider: decodeURIComponent(rest.slice(0, slash)) }
    }
  }
  return undefined
}
