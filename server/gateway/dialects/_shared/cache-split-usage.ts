import type { IRUsage } from '../../ir'

/**
 * Token counts as the vendors that keep cache reads and writes apart from the input report them
 * (Anthropic Messages, Bedrock Converse); each dialect reads and writes its own field names.
 */
export interface CacheSplitCounts {
  input?: number | undefined
  output?: number | undefined
  read?: number | undefined
  write?: number | undefined
}

/** → IR usage, whose `inputTokens` is the whole prompt: reads and writes are added back. Absent counts stay absent. */
export function fromCacheSplit(c: CacheSplitCounts): Partial<IRUsage> {
  const out: Partial<IRUsage> = {}
  if (c.input !== undefined) out.inputTokens = c.input + (c.read ?? 0) + (c.write ?? 0)
  if (c.output !== undefined) out.outputTokens = c.output
  if (c.read !== undefined) out.cacheReadTokens = c.read
  if (c.write !== undefined) out.cacheWriteTokens = c.write
  return out
}

/** IR usage → split counts: the input without reads and writes (never negative), zeros for what is unknown. */
export function toCacheSplit(u: Partial<IRUsage> | undefined): Required<{ [K in keyof CacheSplitCounts]: number }> {
  const read = u?.cacheReadTokens ?? 0
  const write = u?.cacheWriteTokens ?? 0
  return { input: Math.max(0, (u?.inputTokens ?? 0) - read - write), output: u?.outputTokens ?? 0, read, write }
}
