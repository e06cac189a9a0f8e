import type { Door } from '../door'
import type { IRUsage } from '../ir'
import type { Ask } from './reservation'

/**
 * What a request reserves against its key's token and USD budgets while it runs: an estimate of its
 * prompt plus its output limit, priced like the finished request will be. Settled with the real
 * usage when the answer ends, so the estimate only decides how close to a budget parallel requests
 * may get, never what is booked.
 */

/**
 * Request-body bytes per prompt token. Measured with the o200k tokenizer over whole JSON request
 * bodies (the gemini replays in tests/fixtures, English prose, TypeScript, Chinese): 3.2–4.6 bytes per
 * token of the body, and the billed prompt is fewer tokens than the JSON around it. So bytes / 3 stays
 * above the real count for text, costs nothing (the tokenizer takes ~20 ms per 80 KB, too slow to run
 * on every request), and over-reserves base64 images and files, which is the safe side.
 */
export const BODY_BYTES_PER_TOKEN = 3

/** Output tokens reserved when a request sets no limit (OpenAI Chat and Responses, Gemini make it optional). */
export const DEFAULT_OUTPUT_TOKENS = 4096

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined)
const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined)

/** The output-token limit a request sets in its own dialect (thinking included where the vendor counts it apart). */
export function outputLimitOf(door: Door, body: Record<string, unknown>): number | undefined {
  switch (door.dialect) {
    case 'openai-chat':
      return num(body.max_completion_tokens) ?? num(body.max_tokens)
    case 'openai-responses':
      return num(body.max_output_tokens)
    case 'anthropic':
      return num(body.max_tokens)
    case 'gemini': {
      const g = obj(body.generationConfig)
      const max = num(g?.maxOutputTokens)
      const thinking = num(obj(g?.thinkingConfig)?.thinkingBudget) ?? 0
      return max === undefined ? undefined : max + thinking
    }
  }
}

/** Tokens and USD one request reserves; `models` are the upstream models it may reach (the dearest prices it). */
export function estimateAsk(
  door: Door,
  body: Record<string, unknown>,
  bodyBytes: number,
  models: readonly string[],
  prices: { cost(model: string | null, usage: IRUsage | null): number | null } | undefined,
): Ask {
  // Token counting is free upstream and books nothing.
  if (door.op === 'count_tokens') return { tokens: 0, usd: 0 }
  const usage: IRUsage = {
    inputTokens: Math.ceil(bodyBytes / BODY_BYTES_PER_TOKEN),
    outputTokens: door.op === 'embeddings' ? 0 : (outputLimitOf(door, body) ?? DEFAULT_OUTPUT_TOKENS),
  }
  let usd = 0
  if (prices) for (const m of models) usd = Math.max(usd, prices.cost(m, usage) ?? 0)
  return { tokens: usage.inputTokens + usage.outputTokens, usd }
}
