import type { IRUsage } from '../../ir'
import { isRecord, num, type Json } from './wire'
import { responseUsage } from '../_shared/response-usage'

/**
 * Gemini usageMetadata → IR. `candidatesTokenCount` excludes thoughts, so output = candidates + thoughts;
 * the prompt includes cached tokens already; tool-use prompt tokens (grounding etc.) are prompt too.
 * Returns undefined when the object carries no token count (early stream chunks send only trafficType).
 */
export function decodeUsage(meta: unknown): IRUsage | undefined {
  if (!isRecord(meta)) return undefined
  const prompt = num(meta.promptTokenCount)
  const toolPrompt = num(meta.toolUsePromptTokenCount)
  const candidates = num(meta.candidatesTokenCount)
  const thoughts = num(meta.thoughtsTokenCount)
  const cached = num(meta.cachedContentTokenCount)
  if ([prompt, toolPrompt, candidates, thoughts, cached].every((v) => v === undefined)) return undefined
  const usage: IRUsage = {
    inputTokens: (prompt ?? 0) + (toolPrompt ?? 0),
    outputTokens: (candidates ?? 0) + (thoughts ?? 0),
  }
  if (cached !== undefined) usage.cacheReadTokens = cached
  if (thoughts !== undefined) usage.reasoningTokens = thoughts
  return usage
}

/** The codec's `decodeUsage`: the usage of a complete response body (`usageMetadata`). */
export const decodeResponseUsage = responseUsage('usageMetadata', decodeUsage)

/** IR → Gemini usageMetadata. */
export function encodeUsage(usage: IRUsage): Json {
  const reasoning = usage.reasoningTokens ?? 0
  const out: Json = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: Math.max(0, usage.outputTokens - reasoning),
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  }
  if (usage.reasoningTokens !== undefined) out.thoughtsTokenCount = usage.reasoningTokens
  if (usage.cacheReadTokens !== undefined) out.cachedContentTokenCount = usage.cacheReadTokens
  return out
}
