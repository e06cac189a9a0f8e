import type { IRFinishReason, UnifiedFinishReason } from '../../ir'
import { finishTable } from '../_shared/finish-table'

/**
 * Gemini `Candidate.finishReason` values (v1beta, @google/genai FinishReason) → unified: the one list
 * of the values Rosetta knows. STOP after function calls is refined to tool-calls by the caller.
 */
const UNIFIED = {
  STOP: 'stop', MAX_TOKENS: 'length',
  SAFETY: 'content-filter', RECITATION: 'content-filter', LANGUAGE: 'content-filter', BLOCKLIST: 'content-filter',
  PROHIBITED_CONTENT: 'content-filter', SPII: 'content-filter', IMAGE_SAFETY: 'content-filter',
  IMAGE_PROHIBITED_CONTENT: 'content-filter', IMAGE_RECITATION: 'content-filter',
  MALFORMED_FUNCTION_CALL: 'error', UNEXPECTED_TOOL_CALL: 'error', TOO_MANY_TOOL_CALLS: 'error',
  FINISH_REASON_UNSPECIFIED: 'other', OTHER: 'other', NO_IMAGE: 'other', IMAGE_OTHER: 'other', CONTINUATION: 'other',
} as const satisfies Record<string, UnifiedFinishReason>

export type GeminiFinishReason = keyof typeof UNIFIED
const toUnified = finishTable(UNIFIED)
const isKnown = (raw: string): raw is GeminiFinishReason => Object.hasOwn(UNIFIED, raw)

/** Gemini finishReason (or a promptFeedback.blockReason) → IR. */
export function decodeFinishReason(raw: string | undefined, hasToolCalls: boolean): IRFinishReason {
  if (raw === undefined) return { unified: hasToolCalls ? 'tool-calls' : 'other' }
  // Gemini says STOP after function calls too; the IR wants tool-calls then.
  const unified = raw === 'STOP' && hasToolCalls ? 'tool-calls' : toUnified(raw)
  return { unified, raw, rawDialect: 'gemini' }
}

/** A prompt blocked before generation (`promptFeedback.blockReason`, no candidates). */
export function decodeBlockReason(blockReason: string): IRFinishReason {
  return { unified: 'content-filter', raw: blockReason, rawDialect: 'gemini' }
}

/** Unified → Gemini finishReason (the Record type makes it total). */
const WIRE: Record<UnifiedFinishReason, GeminiFinishReason> = { stop: 'STOP', 'tool-calls': 'STOP', length: 'MAX_TOKENS', 'content-filter': 'SAFETY', error: 'OTHER', other: 'OTHER' }

/** IR → Gemini finishReason; a Gemini raw value is echoed verbatim. */
export function encodeFinishReason(reason: IRFinishReason): string {
  if (reason.rawDialect === 'gemini' && reason.raw && isKnown(reason.raw)) return reason.raw
  return WIRE[reason.unified]
}
