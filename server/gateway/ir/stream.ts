import type { Signature } from './opaque'
import type { IRFinishReason } from './finish-reason'
import type { IRUsage } from './usage'
import type { GatewayError } from '../errors'

/**
 * The stream IR: a sequence of events with a lifecycle. `index` numbers content blocks in the order
 * they open (0, 1, 2 ...), across kinds, the way Anthropic numbers them; a block opens with `*-start`,
 * grows with `*-delta` and closes with `*-end`. Decoders guarantee: every started block ends, ends
 * come before `finish`, and `finish` comes once, last (unless an `error` ends the stream).
 */
export type IRStreamEvent =
  | { type: 'start'; id: string; model: string; created: number; usage?: Partial<IRUsage> }
  | { type: 'text-start'; index: number }
  | { type: 'text-delta'; index: number; text: string }
  | { type: 'text-end'; index: number; signature?: Signature }
  | { type: 'reasoning-start'; index: number; redactedData?: string }
  | { type: 'reasoning-delta'; index: number; text: string }
  | { type: 'reasoning-end'; index: number; signature?: Signature }
  /**
   * `signature`: when the upstream sends it with the call itself (Gemini), it is known here already, so
   * an encoder that writes whole calls can put it in the same delta; `tool-call-end` still carries it.
   */
  | { type: 'tool-call-start'; index: number; id: string; name: string; signature?: Signature }
  | { type: 'tool-call-delta'; index: number; argumentsDelta: string }
  | { type: 'tool-call-end'; index: number; signature?: Signature }
  /** Usage known so far (e.g. Anthropic input tokens in message_start); merged by consumers. */
  | { type: 'usage'; usage: Partial<IRUsage> }
  | { type: 'finish'; reason: IRFinishReason; usage: IRUsage }
  | { type: 'error'; error: GatewayError }
