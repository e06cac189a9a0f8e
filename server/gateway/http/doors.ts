import type { Door } from '../door'
import { GatewayError, invalidRequest } from '../errors'

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
    // Split on the literal ':' and '/' of the URL before decoding: an encoded %3A or %2F belongs to
    // the model name (which reaches the upstream re-encoded as one segment, upstream/path-segment.ts).
    const target = path.slice(gm)
    const colon = target.lastIndexOf(':')
    if (colon <= 0 || target.includes('/')) return colon > 0 ? 'bad-gemini-method' : undefined
    const method = target.slice(colon + 1)
    const op = GEMINI_OPS[method]
    if (!op && method !== 'generateContent' && method !== 'streamGenerateContent') return 'bad-gemini-method'
    const name = decodeSegment(target.slice(0, colon))
    const model = name ?? target.slice(0, colon)
    const refusal = name === undefined ? invalidRequest('model: the model name in the URL is not valid percent-encoding', 'model') : undefined
    if (op) return { dialect: 'gemini', query, op, refusal, gemini: { model, stream: false, sse: false, batch: method === 'batchEmbedContents' } }
    const stream = method === 'streamGenerateContent'
    return { dialect: 'gemini', query, refusal, gemini: { model, stream, sse: stream && /(?:^|&)alt=sse(?:&|$)/.test(query) } }
  }
  if (path.startsWith('/v1/')) {
    const rest = path.slice(4)
    const slash = rest.indexOf('/')
    if (slash > 0) {
      const tail = rest.slice(slash)
      if (tail === '/chat/completions' || tail === '/completions') {
        const provider = decodeSegment(rest.slice(0, slash))
        if (provider === undefined) return { dialect: 'openai-chat', query, forcedProvider: '', refusal: new GatewayError('not_found', 'the provider name in the URL is not valid percent-encoding') }
        return { dialect: 'openai-chat', query, forcedProvider: provider }
      }
    }
  }
  return undefined
}

/** A percent-encoded path segment, or undefined when it is malformed (`%zz`, a lone surrogate). */
function decodeSegment(raw: string): string | undefined {
  if (!raw.includes('%')) return raw
  try {
    return decodeURIComponent(raw)
  } catch {
    return undefined
  }
}
