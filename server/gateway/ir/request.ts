import type { UpstreamDialect } from './dialect'
import type { IRPart, TextPart } from './content'
import type { IRWarning } from './warning'

export interface IRMessage {
  /** Tool results travel as parts of a `user` message (one message per turn, as Anthropic wants). */
  role: 'user' | 'assistant'
  parts: IRPart[]
}

export interface IRTool {
  name: string
  description?: string
  /** JSON Schema of the arguments, as the client sent it; the Gemini encoder makes it acceptable. */
  parameters: Record<string, unknown>
  strict?: boolean
  cacheControl?: unknown
}

export type IRToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string }

export type IRResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'json-schema'; name?: string; description?: string; schema: Record<string, unknown>; strict?: boolean }

export interface IRReasoningConfig {
  /** false: the client asked for no thinking. */
  enabled: boolean
  budgetTokens?: number
  /** OpenAI `reasoning_effort` / Gemini `thinkingLevel`: minimal | low | medium | high. */
  effort?: string
  /** false: the client wants the model to think but not to see the thinking (Gemini without includeThoughts). */
  visible?: boolean
}

export interface IRMidSystem {
  /** Index in `messages` of the message it came before (messages.length: after the last). */
  before: number
  role: 'system' | 'developer'
  parts: TextPart[]
  /** Where the client put it (`messages[3]`, `input[2]`), for the warning when it has to move. */
  at: string
}

export interface IRRequest {
  model: string
  stream: boolean
  system: TextPart[]
  messages: IRMessage[]
  tools?: IRTool[]
  toolChoice?: IRToolChoice
  parallelToolCalls?: boolean
  maxTokens?: number
  temperature?: number
  topP?: number
  topK?: number
  stopSequences?: string[]
  presencePenalty?: number
  frequencyPenalty?: number
  seed?: number
  candidateCount?: number
  responseFormat?: IRResponseFormat
  reasoning?: IRReasoningConfig
  /** OpenAI `stream_options.include_usage`: honoured exactly as asked (undefined = not asked). */
  includeUsage?: boolean
  /** End-user id (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string
  /**
   * Fields this dialect has that the IR does not model, kept per origin dialect so that a same-family
   * upstream still receives them (e.g. Anthropic `metadata`, Gemini `safetySettings`, OpenAI `logprobs`).
   */
  extras?: Partial<Record<UpstreamDialect, Record<string, unknown>>>
  /**
   * System/developer messages the client sent after the conversation started, each before
   * `messages[before]`: OpenAI Chat and Responses upstreams get them in place; Anthropic and Gemini
   * have one system prompt, so their encoders append them to it (warned as moved).
   */
  midSystem?: IRMidSystem[]
  /** Lossy mappings noticed while decoding/encoding: sent in `x-rosetta-warnings` and logged. */
  warnings?: IRWarning[]
}
