/**
 * Why generation stopped. `unified` is ours; `raw` is exactly what the upstream said, kept so a
 * same-family client gets its own value back and the log shows the truth.
 */
export type UnifiedFinishReason =
  | 'stop' // natural end or a stop sequence
  | 'length' // max tokens reached
  | 'tool-calls' // the model wants tools run
  | 'content-filter' // safety / refusal
  | 'error'
  | 'other'

export interface IRFinishReason {
  unified: UnifiedFinishReason
  raw?: string
  /** Which dialect `raw` came from, so only that dialect echoes it back verbatim. */
  rawDialect?: string
  /** Anthropic `stop_sequence`: the sequence that matched, when known. */
  stopSequence?: string
}
