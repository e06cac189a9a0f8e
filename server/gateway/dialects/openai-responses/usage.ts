import type { IRUsage } from '../../ir'
import { isRecord, type Json } from './wire'
import { responseUsage } from '../_shared/response-usage'
import { openAIUsageToIR, readOpenAIUsage, writeOpenAIUsage, type OpenAIUsageWords } from '../_shared/openai-usage'

const WORDS: OpenAIUsageWords = ['input', 'output']

/**
 * Responses `usage` ⇄ IR. `input_tokens` includes cached tokens and `output_tokens` reasoning
 * tokens, which is the IR's own semantics, so the numbers pass through. Cache writes (Anthropic)
 * have no field here and are not written.
 */
export function decodeUsage(u: unknown): IRUsage | undefined {
  return isRecord(u) ? openAIUsageToIR(readOpenAIUsage(u, WORDS)) : undefined
}

/** The codec's `decodeUsage`: the usage of a complete response body (`usage`). */
export const decodeResponseUsage = responseUsage('usage', decodeUsage)

export function encodeUsage(u: IRUsage): Json {
  return writeOpenAIUsage(u, WORDS)
}
