import type { Door } from '../door'
import type { DialectName } from '../ir'
import { percentDecode } from './percent-decode'

/**
 * A URL that names a public door but cannot be served: answered in that door's dialect (a 404 for a
 * Gemini method we do not serve, a 400 for a path whose percent-encoding is malformed).
 */
export interface DoorRefusal {
  refused: 'unknown-method' | 'bad-encoding'
  dialect: DialectName
  message: string
}

/**
 * URL → the public door it is, without allocating a URL object (this runs on every request):
 * `/v1/chat/completions`, `/v1/{provider}/chat/completions` (and `/completions`), `/v1/responses`,
 * `/v1/messages`, `/v1beta/models/{model}:{method}` and `/v1/models/{model}:{method}`.
 * Returns undefined for anything else (model lists, admin, UI: the Nitro router's business), and a
 * `DoorRefusal` for a door path that cannot be served (unknown Gemini method, malformed %-encoding).
 */
const GEMINI_OPS: Record<string, Door['op']> = { embedContent: 'embeddings', batchEmbedContents: 'embeddings', countTokens: 'count_tokens' }

export function doorFor(url: string): Door | DoorRefusal | undefined {
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
    if (colon <= 0 || target.includes('/')) return colon > 0 ? unknownMethod(path) : undefined
    const method = target.slice(colon + 1)
    const op = GEMINI_OPS[method]
    if (!op && method !== 'generateContent' && method !== 'streamGenerateContent') return unknownMethod(path)
    const model = percentDecode(target.slice(0, colon))
    if (model === undefined) return badEncoding('gemini', path)
    if (op) return { dialect: 'gemini', query, op, gemini: { model, stream: false, sse: false, batch: method === 'batchEmbedContents' } }
    const stream = method === 'streamGenerateContent'
    return { dialect: 'gemini', query, gemini: { model, stream, sse: stream && /(?:^|&)alt=sse(?:&|$)/.test(query) } }
  }
  if (path.startsWith('/v1/')) {
    const rest = path.slice(4)
    const slash = rest.indexOf('/')
    if (slash > 0) {
      const tail = rest.slice(slash)
      if (tail === '/chat/completions' || tail === '/completions') {
        const forcedProvider = percentDecode(rest.slice(0, slash))
        return forcedProvider === undefined ? badEncoding('openai-chat', path) : { dialect: 'openai-chat', query, forcedProvider }
      }
    }
  }
  return undefined
}

/** The path as it may be quoted back: capped, so an overlong URL does not become an overlong error. */
function shown(path: string): string {
  return path.length > 200 ? `${path.slice(0, 200)}…` : path
}

function unknownMethod(path: string): DoorRefusal {
  return {
    refused: 'unknown-method',
    dialect: 'gemini',
    message: `unknown method in '${shown(path)}': expected models/{model}:generateContent, :streamGenerateContent, :countTokens, :embedContent or :batchEmbedContents`,
  }
}

function badEncoding(dialect: DialectName, path: string): DoorRefusal {
  return { refused: 'bad-encoding', dialect, message: `malformed percent-encoding in the URL path '${shown(path)}'` }
}
