import type { IRPart } from './content'
import type { IRFinishReason } from './finish-reason'
import type { IRUsage } from './usage'

/** A complete (non-streamed) assistant answer. */
export interface IRResponse {
  id: string
  model: string
  /** Unix seconds. */
  created: number
  /** Assistant content in order: reasoning, text, tool calls. */
  parts: IRPart[]
  finish: IRFinishReason
  usage: IRUsage
  /** OpenAI `system_fingerprint`, Gemini `modelVersion` etc. when the same family reads it back. */
  extras?: Record<string, unknown>
}
