import type { IRUsage } from '../../ir'
import { isRecord, num, type Json } from '../../json'

/**
 * OpenAI's usage object, which Chat Completions and Responses share but for two words: Chat says
 * `prompt_tokens` / `completion_tokens` (and `prompt_tokens_details`, `completion_tokens_details`),
 * Responses `input_tokens` / `output_tokens` (and `input_tokens_details`, `output_tokens_details`).
 * Both count cached tokens in the input and reasoning tokens in the output, as the IR does.
 */
export type OpenAIUsageWords = readonly [input: 'prompt' | 'input', output: 'completion' | 'output']

/** The counts as the wire states them (absent ones undefined), for the dialect's own adjustments. */
export interface OpenAIUsageCounts {
  input: number | undefined
  output: number | undefined
  cached: number | undefined
  reasoning: number | undefined
  total: number | undefined
}

export function readOpenAIUsage(u: Json, [i, o]: OpenAIUsageWords): OpenAIUsageCounts {
  const inDetails = u[`${i}_tokens_details`]
  const outDetails = u[`${o}_tokens_details`]
  return {
    input: num(u[`${i}_tokens`]),
    output: num(u[`${o}_tokens`]),
    cached: isRecord(inDetails) ? num(inDetails.cached_tokens) : undefined,
    reasoning: isRecord(outDetails) ? num(outDetails.reasoning_tokens) : undefined,
    total: num(u.total_tokens),
  }
}

/** Counts → IR usage; the cache and reasoning counts only when the wire stated them. */
export function openAIUsageToIR(c: Pick<OpenAIUsageCounts, 'input' | 'output' | 'cached' | 'reasoning'>): IRUsage {
  const out: IRUsage = { inputTokens: c.input ?? 0, outputTokens: c.output ?? 0 }
  if (c.cached !== undefined) out.cacheReadTokens = c.cached
  if (c.reasoning !== undefined) out.reasoningTokens = c.reasoning
  return out
}

/** IR usage → the wire object, every field written (zeros for what is unknown). */
export function writeOpenAIUsage(u: IRUsage, [i, o]: OpenAIUsageWords): Json {
  return {
    [`${i}_tokens`]: u.inputTokens,
    [`${o}_tokens`]: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    [`${i}_tokens_details`]: { cached_tokens: u.cacheReadTokens ?? 0 },
    [`${o}_tokens_details`]: { reasoning_tokens: u.reasoningTokens ?? 0 },
  }
}
