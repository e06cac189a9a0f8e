import { createHash } from 'node:crypto'
import type { IRRequest } from '../ir'
import type { Resolution } from '../routing/resolve'

/** Fields that say how a request travels, not what it asks: left out of the key. */
const NOT_ASKED = new Set(['model', 'stream', 'includeUsage', 'warnings', 'maxTokens'])
/** Vendor prompt-caching hints (Anthropic cache_control) change the bill, not the answer. */
const HINTS = new Set(['cacheControl'])

/**
 * The response cache's key: sha256 over the normalised IR request (dialect independent: the same
 * question through the OpenAI and the Anthropic SDK gives the same key) and the targets it resolved to
 * (sorted, so the weighted pick's order does not matter). The output-token limit is left out: an entry
 * remembers the limit it was made under and `servable` decides (cache-entry.ts).
 */
export function cacheKey(ir: IRRequest, resolution: Resolution): string {
  const h = createHash('sha256')
  const targets = resolution.targets.map((t) => `${t.provider.id}/${t.model}`).sort()
  h.update(`v1\0${resolution.rule}\0${targets.join('\0')}\0`)
  const asked: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(ir)) if (!NOT_ASKED.has(k)) asked[k] = v
  h.update(canonicalJson(asked))
  return h.digest('hex')
}

/**
 * JSON with keys sorted and undefined, empty (`[]`, `{}`, after normalising) and hint fields left out, so
 * two decoders that build the same request in a different field order, or one spells out an empty list
 * or an empty extras record (the Gemini decoder's `extras: { gemini: {} }`), agree.
 */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null'
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x === undefined ? null : x)).join(',')}]`
  const rec = v as Record<string, unknown>
  const fields: string[] = []
  for (const k of Object.keys(rec).sort()) {
    const x = rec[k]
    if (x === undefined || HINTS.has(k)) continue
    const text = canonicalJson(x)
    if (text !== '[]' && text !== '{}') fields.push(`${JSON.stringify(k)}:${text}`)
  }
  return `{${fields.join(',')}}`
}
