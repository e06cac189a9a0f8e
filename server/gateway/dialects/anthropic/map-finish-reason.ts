import type { IRFinishReason, UnifiedFinishReason } from '../../ir'
import { finishTable } from '../_shared/finish-table'

const unifiedOf = finishTable({
  end_turn: 'stop', stop_sequence: 'stop', pause_turn: 'stop',
  max_tokens: 'length', model_context_window_exceeded: 'length',
  tool_use: 'tool-calls', refusal: 'content-filter',
})

/** Anthropic `stop_reason` → unified. */
export function toUnified(raw: string | null | undefined): UnifiedFinishReason {
  return typeof raw === 'string' ? unifiedOf(raw) : 'other'
}

/** Unified → Anthropic `stop_reason` (the Record type makes it total); `stop` is refined by the stop sequence. */
const WIRE: Record<UnifiedFinishReason, string> = { stop: 'end_turn', length: 'max_tokens', 'tool-calls': 'tool_use', 'content-filter': 'refusal', error: 'end_turn', other: 'end_turn' }

/** Unified → Anthropic `stop_reason`; an Anthropic raw value is echoed verbatim. */
export function encodeFinishReason(finish: IRFinishReason): string {
  if (finish.rawDialect === 'anthropic' && finish.raw) return finish.raw
  if (finish.unified === 'stop' && finish.stopSequence !== undefined) return 'stop_sequence'
  return WIRE[finish.unified]
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
