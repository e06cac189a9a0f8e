import type { IRFinishReason, UnifiedFinishReason } from '../../ir'
import { DIALECT } from './wire'
import { finishTable } from '../_shared/finish-table'

/**
 * A Responses answer ends with `status` and, when `incomplete`, `incomplete_details.reason`.
 * The raw value we keep is that reason for incomplete answers, else the status itself.
 */
export type ResponsesRawFinish = 'completed' | 'max_output_tokens' | 'content_filter' | 'failed' | 'cancelled' | string

export interface WireFinish {
  status: 'completed' | 'incomplete'
  reason?: 'max_output_tokens' | 'content_filter'
}

/** Raw → unified (tool calls and refusals are decided by the caller). */
export const toUnified: (raw: ResponsesRawFinish) => UnifiedFinishReason = finishTable({ completed: 'stop', max_output_tokens: 'length', content_filter: 'content-filter', failed: 'error' })

const COMPLETED: WireFinish = { status: 'completed' }
/** Unified → wire status (the Record type makes it total). */
const WIRE: Record<UnifiedFinishReason, WireFinish> = {
  stop: COMPLETED,
  'tool-calls': COMPLETED,
  error: COMPLETED,
  other: COMPLETED,
  length: { status: 'incomplete', reason: 'max_output_tokens' },
  'content-filter': { status: 'incomplete', reason: 'content_filter' },
}
export function fromUnified(unified: UnifiedFinishReason): WireFinish {
  return { ...WIRE[unified] }
}

/** The status to write for an IR finish: our own raw value verbatim when it is one of ours. */
export function encodeFinishReason(reason: IRFinishReason): WireFinish {
  if (reason.rawDialect === DIALECT && reason.raw) {
    if (reason.raw === 'completed') return { status: 'completed' }
    if (reason.raw === 'max_output_tokens' || reason.raw === 'content_filter') return { status: 'incomplete', reason: reason.raw }
  }
  return fromUnified(reason.unified)
}

/** `status` + `incomplete_details` (+ what the output held) → IR finish. */
export function decodeFinishReason(status: string | undefined, incompleteReason: string | undefined, hadToolCalls: boolean, hadRefusal: boolean): IRFinishReason {
  const raw = status === 'incomplete' ? (incompleteReason ?? 'incomplete') : status
  let unified: UnifiedFinishReason = raw ? toUnified(raw) : 'stop'
  if (hadToolCalls && (unified === 'stop' || unified === 'other') && status !== 'incomplete') unified = 'tool-calls'
  if (hadRefusal && !hadToolCalls && unified === 'stop') unified = 'content-filter'
  return raw ? { unified, raw, rawDialect: DIALECT } : { unified }
}
