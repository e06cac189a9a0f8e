import type { IRFinishReason, UnifiedFinishReason } from '../../ir'
import { DIALECT } from './wire'

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call'

/** Wire `finish_reason` → unified (raw kept by the caller). */
export function toUnified(raw: string): UnifiedFinishReason {
  switch (raw) {
    case 'stop':
      return 'stop'
    case 'length':
      return 'length'
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls'
    case 'content_filter':
      return 'content-filter'
    default:
      return 'other'
  }
}

/** Unified → wire `finish_reason`. */
export function fromUnified(unified: UnifiedFinishReason): OpenAIFinishReason {
  switch (unified) {
    case 'stop':
      return 'stop'
    case 'length':
      return 'length'
    case 'tool-calls':
      return 'tool_calls'
    case 'content-filter':
      return 'content_filter'
    case 'error':
    case 'other':
      return 'stop'
    default: {
      const never: never = unified
      return never
    }
  }
}

/** The finish_reason to write for an IR finish: our own raw value verbatim, else mapped. */
export function encodeFinishReason(reason: IRFinishReason): string {
  if (reason.rawDialect === DIALECT && reason.raw) return reason.raw
  return fromUnified(reason.unified)
}

/**
 * Builds the IR finish from what the upstream said. Tool calls with `stop` (Ollama, some vLLM
 * builds) still mean the model wants tools run; a refusal without tool calls is a content filter.
 */
export function decodeFinishReason(raw: string | undefined, hadToolCalls: boolean, hadRefusal: boolean): IRFinishReason {
  let unified: UnifiedFinishReason = raw ? toUnified(raw) : hadToolCalls ? 'tool-calls' : 'stop'
  if (unified === 'stop' && hadToolCalls) unified = 'tool-calls'
  if (hadRefusal && !hadToolCalls && unified === 'stop') unified = 'content-filter'
  return raw ? { unified, raw, rawDialect: DIALECT } : { unified }
}
