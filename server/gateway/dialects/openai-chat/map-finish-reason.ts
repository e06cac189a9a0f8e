import type { IRFinishReason, UnifiedFinishReason } from '../../ir'
import { DIALECT } from './wire'
import { finishTable } from '../_shared/finish-table'

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call'

/** Wire `finish_reason` → unified (raw kept by the caller). */
export const toUnified = finishTable({ stop: 'stop', length: 'length', tool_calls: 'tool-calls', function_call: 'tool-calls', content_filter: 'content-filter' })

/** Unified → wire `finish_reason` (the Record type makes it total). */
const WIRE: Record<UnifiedFinishReason, OpenAIFinishReason> = { stop: 'stop', length: 'length', 'tool-calls': 'tool_calls', 'content-filter': 'content_filter', error: 'stop', other: 'stop' }
export function fromUnified(unified: UnifiedFinishReason): OpenAIFinishReason {
  return WIRE[unified]
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
