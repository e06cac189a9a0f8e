import type { IRFinishReason, UnifiedFinishReason } from '../../ir'

/** Gemini `Candidate.finishReason` values (v1beta, @google/genai FinishReason). */
export type GeminiFinishReason =
  | 'FINISH_REASON_UNSPECIFIED'
  | 'STOP'
  | 'MAX_TOKENS'
  | 'SAFETY'
  | 'RECITATION'
  | 'LANGUAGE'
  | 'OTHER'
  | 'BLOCKLIST'
  | 'PROHIBITED_CONTENT'
  | 'SPII'
  | 'MALFORMED_FUNCTION_CALL'
  | 'IMAGE_SAFETY'
  | 'UNEXPECTED_TOOL_CALL'
  | 'TOO_MANY_TOOL_CALLS'
  | 'IMAGE_PROHIBITED_CONTENT'
  | 'NO_IMAGE'
  | 'IMAGE_RECITATION'
  | 'IMAGE_OTHER'
  | 'CONTINUATION'

const KNOWN = new Set<string>([
  'FINISH_REASON_UNSPECIFIED', 'STOP', 'MAX_TOKENS', 'SAFETY', 'RECITATION', 'LANGUAGE', 'OTHER', 'BLOCKLIST',
  'PROHIBITED_CONTENT', 'SPII', 'MALFORMED_FUNCTION_CALL', 'IMAGE_SAFETY', 'UNEXPECTED_TOOL_CALL',
  'TOO_MANY_TOOL_CALLS', 'IMAGE_PROHIBITED_CONTENT', 'NO_IMAGE', 'IMAGE_RECITATION', 'IMAGE_OTHER', 'CONTINUATION',
])

function toUnified(raw: GeminiFinishReason, hasToolCalls: boolean): UnifiedFinishReason {
  switch (raw) {
    case 'STOP':
      // Gemini says STOP after function calls too; the IR wants tool-calls then.
      return hasToolCalls ? 'tool-calls' : 'stop'
    case 'MAX_TOKENS':
      return 'length'
    case 'SAFETY':
    case 'RECITATION':
    case 'LANGUAGE':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
    case 'IMAGE_RECITATION':
      return 'content-filter'
    case 'MALFORMED_FUNCTION_CALL':
    case 'UNEXPECTED_TOOL_CALL':
    case 'TOO_MANY_TOOL_CALLS':
      return 'error'
    case 'FINISH_REASON_UNSPECIFIED':
    case 'OTHER':
    case 'NO_IMAGE':
    case 'IMAGE_OTHER':
    case 'CONTINUATION':
      return 'other'
    default: {
      const never: never = raw
      return never
    }
  }
}

/** Gemini finishReason (or a promptFeedback.blockReason) → IR. */
export function decodeFinishReason(raw: string | undefined, hasToolCalls: boolean): IRFinishReason {
  if (raw === undefined) return { unified: hasToolCalls ? 'tool-calls' : 'other' }
  const unified = KNOWN.has(raw) ? toUnified(raw as GeminiFinishReason, hasToolCalls) : 'other'
  return { unified, raw, rawDialect: 'gemini' }
}

/** A prompt blocked before generation (`promptFeedback.blockReason`, no candidates). */
export function decodeBlockReason(blockReason: string): IRFinishReason {
  return { unified: 'content-filter', raw: blockReason, rawDialect: 'gemini' }
}

/** IR → Gemini finishReason; a Gemini raw value is echoed verbatim. */
export function encodeFinishReason(reason: IRFinishReason): string {
  if (reason.rawDialect === 'gemini' && reason.raw && KNOWN.has(reason.raw)) return reason.raw
  switch (reason.unified) {
    case 'stop':
    case 'tool-calls':
      return 'STOP'
    case 'length':
      return 'MAX_TOKENS'
    case 'content-filter':
      return 'SAFETY'
    case 'error':
    case 'other':
      return 'OTHER'
    default: {
      const never: never = reason.unified
      return never
    }
  }
}
