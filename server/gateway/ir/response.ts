import type { IRPart } from './content'
import type { IRFinishReason } from './finish-reason'
import type { IRUsage } from './usage'

/** One more answer to the same request (see IRResponse.alternatives). */
export interface IRAlternative {
  parts: IRPart[]
  finish: IRFinishReason
}

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
  /**
   * The other answers when the client asked for several (OpenAI `n`, Gemini `candidateCount`) and the
   * upstream gave them: choices / candidates 1, 2, ... in order. `parts`/`finish` above are answer 0.
   */
  alternatives?: IRAlternative[]
  /** OpenAI `system_fingerprint`, Gemini `modelVersion` etc. when the same family reads it back. */
  extras?: Record<string, unknown>
}
