/**
 * Small wire helpers and constants shared by the Gemini codec (generateContent, v1beta).
 * Gemini bodies are parsed with plain narrowing: unknown fields are ignored or kept in extras.
 */

import { isRecord, type Json } from '../../json'

export { isRecord, str, type Json } from '../../json'

export const DIALECT = 'gemini' as const
export { parseDataUrl } from '../../ir'

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v
  // proto3 JSON renders int64 as strings
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
  return undefined
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}

/**
 * Gemini function calls often carry no `id`. The codec then invents one with this prefix; the encoder
 * never sends such ids to Gemini (they mean "no id on the wire"), so answers pair by name as usual.
 */
export const SYNTHETIC_CALL_ID_PREFIX = 'gmcall_'

export function isSyntheticCallId(id: string): boolean {
  return id.startsWith(SYNTHETIC_CALL_ID_PREFIX)
}

/** A random synthetic id (responses: the client echoes it back, it only has to be unique). */
export function randomCallId(): string {
  return SYNTHETIC_CALL_ID_PREFIX + globalThis.crypto.randomUUID().replace(/-/g, '').slice(0, 16)
}

/** Ids minted by other vendors; the gateway does not send them to Gemini (it pairs by name). */
const FOREIGN_ID = /^(toolu_|srvtoolu_|call_|fc_)/

/** The id to put on a functionCall / functionResponse sent to Gemini, or undefined to omit it. */
export function wireCallId(id: string | undefined): string | undefined {
  if (!id || isSyntheticCallId(id) || FOREIGN_ID.test(id)) return undefined
  return id
}

/**
 * Documented dummy thought signature for function calls that Gemini did not sign (history moved from
 * another model or vendor). https://ai.google.dev/gemini-api/docs/thought-signatures#faqs : "you can set
 * the following dummy signatures of either "context_engineering_is_the_way_to_go" or
 * "skip_thought_signature_validator""; Vertex AI documents only the latter
 * (https://cloud.google.com/vertex-ai/generative-ai/docs/thought-signatures), so we use that one.
 */
export const DUMMY_THOUGHT_SIGNATURE = 'skip_thought_signature_validator'

/** Guess an image MIME type from a URL's extension (Gemini requires one on fileData). */
export function mimeFromUrl(url: string): string {
  const path = url.split(/[?#]/)[0]!.toLowerCase()
  const ext = path.slice(path.lastIndexOf('.') + 1)
  switch (ext) {
    case 'png':
      return 'image/png'
    case 'gif':
      return 'image/gif'
    case 'webp':
      return 'image/webp'
    case 'heic':
      return 'image/heic'
    case 'heif':
      return 'image/heif'
    default:
      return 'image/jpeg'
  }
}

/** Deep merge of plain objects (b wins); arrays and scalars are replaced. */
export function deepMerge(a: Json, b: Json): Json {
  const out: Json = { ...a }
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k]
    out[k] = isRecord(cur) && isRecord(v) ? deepMerge(cur, v) : v
  }
  return out
}
