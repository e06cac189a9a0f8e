import type { IRUsage } from '../../ir'
import { isRecord, num, type Json } from './wire'
import { responseUsage } from '../_shared/response-usage'
import { fromCacheSplit, toCacheSplit } from '../_shared/cache-split-usage'

/**
 * Converse `usage` (TokenUsage) → IR usage. Bedrock counts `inputTokens` apart from cache reads and
 * writes (`totalTokens` is their sum with the output), so IR `inputTokens` adds them back.
 */
export function decodeUsage(u: unknown): Partial<IRUsage> {
  if (!isRecord(u)) return {}
  return fromCacheSplit({ input: num(u.inputTokens), output: num(u.outputTokens), read: num(u.cacheReadInputTokens), write: num(u.cacheWriteInputTokens) })
}

/** The codec's `decodeUsage`: the usage of a complete response body (`usage`). */
export const decodeResponseUsage = responseUsage('usage', decodeUsage)

/** IR usage → Converse `usage` (for tests and the mock upstream: no client reads this dialect). */
export function encodeUsage(u: Partial<IRUsage> | undefined): Json {
  const c = toCacheSplit(u)
  const out: Json = { inputTokens: c.input, outputTokens: c.output, totalTokens: c.input + c.output + c.read + c.write }
  if (c.read > 0) out.cacheReadInputTokens = c.read
  if (c.write > 0) out.cacheWriteInputTokens = c.write
  return out
}
