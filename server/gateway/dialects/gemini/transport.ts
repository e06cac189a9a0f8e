import type { Door } from '../../door'
import type { DialectTransport, DoorMatch, ModelListPage, UpstreamCall } from '../../transport'
import { percentDecode } from '../../http/percent-decode'
import { badEncoding, shownPath, type DoorRefusal } from '../../http/door-refusal'
import { pathSegment } from '../../upstream/path-segment'
import { arr, isRecord, str } from '../../json'

/**
 * Gemini's method for a call (`generateContent`, `streamGenerateContent?alt=sse`, `countTokens`,
 * `batchEmbedContents`): the part after `models/{model}:`. Vertex AI's Google publisher uses the same.
 */
export function geminiMethod(c: UpstreamCall): string {
  if (c.op === 'embeddings') return 'batchEmbedContents'
  if (c.op === 'count_tokens') return 'countTokens'
  return c.stream ? 'streamGenerateContent?alt=sse' : 'generateContent'
}

/** Gemini's `GET /models` page: `models[].name` (`models/…`), `nextPageToken`. */
function readModels(json: unknown): ModelListPage {
  if (!isRecord(json)) return { models: [] }
  const models = []
  for (const m of arr(json.models)) {
    if (!isRecord(m) || typeof m.name !== 'string') continue
    const methods = Array.isArray(m.supportedGenerationMethods) ? arr(m.supportedGenerationMethods).filter((x): x is string => typeof x === 'string') : undefined
    models.push({ id: m.name.replace(/^models\//, ''), displayName: str(m.displayName), methods })
  }
  return { models, next: str(json.nextPageToken) || undefined }
}

const OPS: Record<string, Door['op']> = { embedContent: 'embeddings', batchEmbedContents: 'embeddings', countTokens: 'count_tokens' }

function unknownMethod(path: string): DoorRefusal {
  return {
    refused: 'unknown-method',
    dialect: 'gemini',
    message: `unknown method in '${shownPath(path)}': expected models/{model}:generateContent, :streamGenerateContent, :countTokens, :embedContent or :batchEmbedContents`,
  }
}

/** `/v1beta/models/{model}:{method}` and `/v1/models/{model}:{method}`. */
function matchDoor(path: string, query: string): DoorMatch {
  const gm = path.startsWith('/v1beta/models/') ? 15 : path.startsWith('/v1/models/') ? 11 : 0
  if (!gm) return undefined
  // Split on the literal ':' and '/' of the URL before decoding: an encoded %3A or %2F belongs to
  // the model name (which reaches the upstream re-encoded as one segment, upstream/path-segment.ts).
  const target = path.slice(gm)
  const colon = target.lastIndexOf(':')
  if (colon <= 0 || target.includes('/')) return colon > 0 ? unknownMethod(path) : undefined
  const method = target.slice(colon + 1)
  const op = OPS[method]
  if (!op && method !== 'generateContent' && method !== 'streamGenerateContent') return unknownMethod(path)
  const model = percentDecode(target.slice(0, colon))
  if (model === undefined) return badEncoding('gemini', path)
  if (op) return { dialect: 'gemini', query, op, gemini: { model, stream: false, sse: false, batch: method === 'batchEmbedContents' } }
  const stream = method === 'streamGenerateContent'
  return { dialect: 'gemini', query, gemini: { model, stream, sse: stream && /(?:^|&)alt=sse(?:&|$)/.test(query) } }
}

/** Gemini at Google AI Studio (generativelanguage.googleapis.com). */
export const transport: DialectTransport = {
  defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta',
  auth: { header: 'x-goog-api-key', template: '{key}' },
  path: (c) => `models/${pathSegment(c.model.replace(/^models\//, ''))}:${geminiMethod(c)}`,
  models: {
    page: (token) => `models?pageSize=1000${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`,
    read: readModels,
    probe: 'models?pageSize=1',
  },
  doors: {
    exact: {},
    match: matchDoor,
    speaksAt: (url) => url.startsWith('/v1beta/') || /^\/v1\/models\/[^/?]+:/.test(url),
  },
}
