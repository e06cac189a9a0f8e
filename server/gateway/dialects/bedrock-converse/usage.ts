import type { IRUsage } from '../../ir'
import { isRecord, num, type Json } from './wire'
import { responseUsage } from '../_shared/response-usage'

/**
 * Converse `usage` (TokenUsage) → IR usage. Bedrock counts `inputTokens` apart from cache reads and
 * writes (`totalTokens` is their sum with the output), so IR `inputTokens` adds them back.
 */
export function decodeUsage(u: unknown): Partial<IRUsage> {
  if (!isRecord(u)) return {}
  const out: Partial<IRUsage> = {}
  const input = num(u.inputTokens)
  const read = num(u.cacheReadInputTokens)
  const write = num(u.cacheWriteInputTokens)
  if (input !== undefined) out.inputTokens = input + (read ?? 0) + (write ?? 0)
  const output = num(u.outputTokens)
  if (output !== undefined) out.outputTokens = output
  if (read !== undefined) out.cacheReadTokens = read
  if (write !== undefined) out.cacheWriteTokens = write
  return out
}

/** The codec's `decodeUsage`: the usage of a complete response body (`usage`). */
export const decodeResponseUsage = responseUsage('usage', decodeUsage)

/** IR usage → Converse `usage` (for tests and the mock upstream: no client reads this dialect). */
export function encodeUsage(u: Partial<IRUsage> | undefined): Json {
  const read = u?.cacheReadTokens ?? 0
  const write = u?.cacheWriteTokens ?? 0
  const input = Math.max(0, (u?.inputTokens ?? 0) - read - write)
  const output = u?.outputTokens ?? 0
  const out: Json = { inputTokens: input, outputTokens: output, totalTokens: input + output + read + write }
  if (read > 0) out.cacheReadInputTokens = read
  if (write > 0) out.cacheWriteInputTokens = write
  return out
}
