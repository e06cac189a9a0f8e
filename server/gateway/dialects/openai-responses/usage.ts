import type { IRUsage } from '../../ir'
import { isRecord, num, type Json } from './wire'
import { responseUsage } from '../_shared/response-usage'

/**
 * Responses `usage` ⇄ IR. `input_tokens` includes cached tokens and `output_tokens` reasoning
 * tokens, which is the IR's own semantics, so the numbers pass through. Cache writes (Anthropic)
 * have no field here and are not written.
 */
export function decodeUsage(u: unknown): IRUsage | undefined {
  if (!isRecord(u)) return undefined
  const out: IRUsage = { inputTokens: num(u.input_tokens) ?? 0, outputTokens: num(u.output_tokens) ?? 0 }
  const cached = isRecord(u.input_tokens_details) ? num(u.input_tokens_details.cached_tokens) : undefined
  if (cached !== undefined) out.cacheReadTokens = cached
  const reasoning = isRecord(u.output_tokens_details) ? num(u.output_tokens_details.reasoning_tokens) : undefined
  if (reasoning !== undefined) out.reasoningTokens = reasoning
  return out
}

/** The codec's `decodeUsage`: the usage of a complete response body (`usage`). */
export const decodeResponseUsage = responseUsage('usage', decodeUsage)

export function encodeUsage(u: IRUsage): Json {
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cacheReadTokens ?? 0 },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
    total_tokens: u.inputTokens + u.outputTokens,
  }
}
