import type { IRUsage } from '../../ir'
import { isRecord, num, type Json } from './wire'
import { responseUsage } from '../_shared/response-usage'

/**
 * Wire `usage` → IR. `prompt_tokens` already includes cached tokens and `completion_tokens`
 * reasoning tokens (OpenAI, DeepSeek). xAI reports reasoning outside `completion_tokens`
 * (total = prompt + completion + reasoning): detected from the total and added back.
 * DeepSeek's `prompt_cache_hit_tokens` stands in when `cached_tokens` is absent.
 */
export function decodeUsage(u: unknown): IRUsage | undefined {
  if (!isRecord(u)) return undefined
  const input = num(u.prompt_tokens) ?? 0
  let output = num(u.completion_tokens) ?? 0
  const pd = isRecord(u.prompt_tokens_details) ? u.prompt_tokens_details : {}
  const cd = isRecord(u.completion_tokens_details) ? u.completion_tokens_details : {}
  const cached = num(pd.cached_tokens) ?? num(u.prompt_cache_hit_tokens)
  const reasoning = num(cd.reasoning_tokens)
  const total = num(u.total_tokens)
  if (reasoning && total !== undefined && total !== input + output && total === input + output + reasoning) {
    output += reasoning
  }
  const out: IRUsage = { inputTokens: input, outputTokens: output }
  if (cached !== undefined) out.cacheReadTokens = cached
  if (reasoning !== undefined) out.reasoningTokens = reasoning
  return out
}

/** The codec's `decodeUsage`: the usage of a complete response body (`usage`). */
export const decodeResponseUsage = responseUsage('usage', decodeUsage)

export function encodeUsage(u: IRUsage): Json {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cacheReadTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
  }
}
