/** Small narrowing helpers and shared wire mappings for the Anthropic Messages dialect. */
import type { IRUsage } from '../../ir'

export type Obj = Record<string, unknown>

export const DIALECT = 'anthropic' as const

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

/** Anthropic usage object → IR usage. IR `inputTokens` includes cache reads and writes. */
export function usageFromWire(u: unknown): Partial<IRUsage> {
  if (!isObj(u)) return {}
  const out: Partial<IRUsage> = {}
  const input = num(u.input_tokens)
  const read = num(u.cache_read_input_tokens)
  const write = num(u.cache_creation_input_tokens)
  if (input !== undefined) out.inputTokens = input + (read ?? 0) + (write ?? 0)
  const output = num(u.output_tokens)
  if (output !== undefined) out.outputTokens = output
  if (read !== undefined) out.cacheReadTokens = read
  if (write !== undefined) out.cacheWriteTokens = write
  const thinking = isObj(u.output_tokens_details) ? num(u.output_tokens_details.thinking_tokens) : undefined
  if (thinking !== undefined) out.reasoningTokens = thinking
  return out
}

/** IR usage → Anthropic usage; `input_tokens` excludes cache reads/writes (never negative). */
export function usageToWire(u: Partial<IRUsage> | undefined): Obj {
  const read = u?.cacheReadTokens ?? 0
  const write = u?.cacheWriteTokens ?? 0
  const out: Obj = {
    input_tokens: Math.max(0, (u?.inputTokens ?? 0) - read - write),
    output_tokens: u?.outputTokens ?? 0,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
  }
  if (u?.reasoningTokens !== undefined) out.output_tokens_details = { thinking_tokens: u.reasoningTokens }
  return out
}

/** Anthropic message ids start with `msg_`; foreign ids are prefixed and stripped of odd characters. */
export function messageId(id: string): string {
  if (id.startsWith('msg_')) return id
  return `msg_${id.replace(/[^A-Za-z0-9_]/g, '')}`
}

/** Anthropic tool ids must match ^[a-zA-Z0-9_-]+$; other vendors' ids are made to fit. */
export function toolId(id: string): string {
  const clean = id.replace(/[^A-Za-z0-9_-]/g, '_')
  return clean === '' ? 'toolu_' : clean
}

/** Arguments JSON text → the `input` object Anthropic wants; undefined when it is not a JSON object. */
export function parseArguments(args: string): Obj | undefined {
  if (args.trim() === '') return {}
  try {
    const v: unknown = JSON.parse(args)
    return isObj(v) ? v : undefined
  } catch {
    return undefined
  }
}
