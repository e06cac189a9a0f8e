import type { IRFinishReason, UnifiedFinishReason } from '../../ir'

/** Anthropic `stop_reason` → unified. */
export function toUnified(raw: string | null | undefined): UnifiedFinishReason {
  switch (raw) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop'
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'tool_use':
      return 'tool-calls'
    case 'refusal':
      return 'content-filter'
    default:
      return 'other'
  }
}

/** Unified → Anthropic `stop_reason`; an Anthropic raw value is echoed verbatim. */
export function encodeFinishReason(finish: IRFinishReason): string {
  if (finish.rawDialect === 'anthropic' && finish.raw) return finish.raw
  const unified: UnifiedFinishReason = finish.unified
  switch (unified) {
    case 'stop':
      return finish.stopSequence !== undefined ? 'stop_sequence' : 'end_turn'
    case 'length':
      return 'max_tokens'
    case 'tool-calls':
      return 'tool_use'
    case 'content-filter':
      return 'refusal'
    case 'error':
    case 'other':
      return 'end_turn'
    default: {
      const never: never = unified
      return never
    }
  }
}

/** The IR finish reason for an Anthropic stop_reason / stop_sequence pair. */
export function decodeFinishReason(stopReason: unknown, stopSequence: unknown): IRFinishReason {
  const raw = typeof stopReason === 'string' ? stopReason : undefined
  const out: IRFinishReason = { unified: toUnified(raw) }
  if (raw !== undefined) {
    out.raw = raw
    out.rawDialect = 'anthropic'
  }
  if (typeof stopSequence === 'string') out.stopSequence = stopSequence
  return out
}
