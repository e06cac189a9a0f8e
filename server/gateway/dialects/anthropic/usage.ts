import type { IRUsage } from '../../ir'
import { isRecord, num, type Json } from '../../json'
import { responseUsage } from '../_shared/response-usage'
import { fromCacheSplit, toCacheSplit } from '../_shared/cache-split-usage'

/** Anthropic usage object → IR usage. IR `inputTokens` includes cache reads and writes. */
export function decodeUsage(u: unknown): Partial<IRUsage> {
  if (!isRecord(u)) return {}
  const out = fromCacheSplit({
    input: num(u.input_tokens),
    output: num(u.output_tokens),
    read: num(u.cache_read_input_tokens),
    write: num(u.cache_creation_input_tokens),
  })
  const thinking = isRecord(u.output_tokens_details) ? num(u.output_tokens_details.thinking_tokens) : undefined
  if (thinking !== undefined) out.reasoningTokens = thinking
  return out
}

/** The codec's `decodeUsage`: the usage of a complete response body (`usage`). */
export const decodeResponseUsage = responseUsage('usage', decodeUsage)

/** IR usage → Anthropic usage; `input_tokens` excludes cache reads/writes (never negative). */
export function encodeUsage(u: Partial<IRUsage> | undefined): Json {
  const c = toCacheSplit(u)
  const out: Json = { input_tokens: c.input, output_tokens: c.output, cache_creation_input_tokens: c.write, cache_read_input_tokens: c.read }
  if (u?.reasoningTokens !== undefined) out.output_tokens_details = { thinking_tokens: u.reasoningTokens }
  return out
}
