import type { IRFinishReason, UnifiedFinishReason } from '../../ir'
import { DIALECT } from './wire'

/** Converse `stopReason` values (StopReason) and what they mean. */
const UNIFIED: Record<string, UnifiedFinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  tool_use: 'tool-calls',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  guardrail_intervened: 'content-filter',
  content_filtered: 'content-filter',
}

export function decodeFinishReason(raw: string | undefined): IRFinishReason {
  if (raw === undefined) return { unified: 'stop' }
  return { unified: UNIFIED[raw] ?? 'other', raw, rawDialect: DIALECT }
}

/** IR finish reason → Converse `stopReason` (its own raw value back when it came from Bedrock). */
export function encodeFinishReason(f: IRFinishReason): string {
  if (f.rawDialect === DIALECT && f.raw) return f.raw
  switch (f.unified) {
    case 'length':
      return 'max_tokens'
    case 'tool-calls':
      return 'tool_use'
    case 'content-filter':
      return 'content_filtered'
    default:
      return 'end_turn'
  }
}
