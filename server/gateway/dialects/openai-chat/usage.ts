import type { IRUsage } from '../../ir'
import { isRecord, num, type Json } from './wire'
import { responseUsage } from '../_shared/response-usage'
import { openAIUsageToIR, readOpenAIUsage, writeOpenAIUsage, type OpenAIUsageWords } from '../_shared/openai-usage'

const WORDS: OpenAIUsageWords = ['prompt', 'completion']

/**
 * Wire `usage` → IR. `prompt_tokens` already includes cached tokens and `completion_tokens`
 * reasoning tokens (OpenAI, DeepSeek). xAI reports reasoning outside `completion_tokens`
 * (total = prompt + completion + reasoning): detected from the total and added back.
 * DeepSeek's `prompt_cache_hit_tokens` stands in when `cached_tokens` is absent.
 */
export function decodeUsage(u: unknown): IRUsage | undefined {
  if (!isRecord(u)) return undefined
  const c = readOpenAIUsage(u, WORDS)
  const input = c.input ?? 0
  let output = c.output ?? 0
  if (c.reasoning && c.total !== undefined && c.total !== input + output && c.total === input + output + c.reasoning) {
    output += c.reasoning
  }
  return openAIUsageToIR({ input, output, cached: c.cached ?? num(u.prompt_cache_hit_tokens), reasoning: c.reasoning })
}

/** The codec's `decodeUsage`: the usage of a complete response body (`usage`). */
export const decodeResponseUsage = responseUsage('usage', decodeUsage)

export function encodeUsage(u: IRUsage): Json {
  return writeOpenAIUsage(u, WORDS)
}
