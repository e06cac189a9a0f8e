import type { IRUsage } from '../../ir'
import { isRecord, num, type Json } from '../../json'
import { responseUsage } from '../_shared/response-usage'

/** Anthropic usage object → IR usage. IR `inputTokens` includes cache reads and writes. */
export function decodeUsage(u: unknown): Partial<IRUsage> {
  if (!isRecord(u)) return {}
  const out: Partial<IRUsage> = {}
  const input = num(u.input_tokens)
  const read = num(u.cache_read_input_tokens)
  const write = num(u.cache_creation_input_tokens)
  if (input !== undefined) out.inputTokens = input + (read ?? 0) + (write ?? 0)
  const output = num(u.output_tokens)
  if (output !== undefined) out.outputTokens = output
  if (read !== undefined) out.cacheReadTokens = read
  if (write !== undefined) out.cacheWriteTokens = write
  const thinking = isRecord(u.output_tokens_details) ? num(u.output_tokens_details.thinking_tokens) : undefined
  if (thinking !== undefined) out.reasoningTokens = thinking
  return out
}

/** The codec's `decodeUsage`: the usage of a complete response body (`usage`). */
export const decodeResponseUsage = responseUsage('usage', decodeUsage)

/** IR usage → Anthropic usage; `input_tokens` excludes cache reads/writes (never negative). */
export function encodeUsage(u: Partial<IRUsage> | undefined): Json {
  const read = u?.cacheReadTokens ?? 0
  const write = u?.cacheWriteTokens ?? 0
  const out: Json = {
    input_tokens: Math.max(0, (u?.inputTokens ?? 0) - read - write),
    output_tokens: u?.outputTokens ?? 0,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
  }
  if (u?.reasoningTokens !== undefined) out.output_tokens_details = { thinking_tokens: u.reasoningTokens }
  return out
}
