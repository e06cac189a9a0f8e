/**
 * Token usage, normalised once.
 *
 * Semantics (mind the vendors differ):
 * - `inputTokens` is the WHOLE prompt, cache reads and writes included (OpenAI `prompt_tokens`,
 *   Gemini `promptTokenCount`). Anthropic's `input_tokens` excludes cache reads/writes, so its codec
 *   adds them on decode and subtracts them on encode.
 * - `outputTokens` is everything generated, reasoning included (OpenAI `completion_tokens`).
 *   Gemini's `candidatesTokenCount` excludes `thoughtsTokenCount`, so its codec adds them.
 */
export interface IRUsage {
  inputTokens: number
  outputTokens: number
  cacheReadTokens?: number
  cacheWriteTokens?: number
  reasoningTokens?: number
}

export function emptyUsage(): IRUsage {
  return { inputTokens: 0, outputTokens: 0 }
}

/** Later usage reports win field by field (streams report input early and output late). */
export function mergeUsage(base: IRUsage | undefined, next: Partial<IRUsage> | undefined): IRUsage {
  const out: IRUsage = { ...(base ?? emptyUsage()) }
  if (!next) return out
  for (const k of ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens'] as const) {
    const v = next[k]
    if (typeof v === 'number' && (v > 0 || out[k] === undefined)) out[k] = v
  }
  return out
}

/**
 * The final usage: every field the finish event states wins, zeros included (a final count may be
 * lower than an early estimate); fields it leaves out keep what earlier events said.
 */
export function finalUsage(earlier: IRUsage | undefined, fin: IRUsage): IRUsage {
  const out: IRUsage = { ...(earlier ?? emptyUsage()) }
  for (const k of ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens'] as const) {
    if (typeof fin[k] === 'number') out[k] = fin[k]
  }
  return out
}
