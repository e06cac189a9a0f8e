import type { Signature } from './opaque'

/**
 * Content parts shared by requests and responses. A message is a role and an ordered list of parts;
 * the order is kept exactly (thinking before the tool call it led to, text between tool calls).
 */

export type ImageSource =
  | { kind: 'base64'; mediaType: string; data: string }
  | { kind: 'url'; url: string; mediaType?: string }

export interface TextPart {
  type: 'text'
  text: string
  /** Gemini may sign a plain text part too. */
  signature?: Signature
  /** Anthropic `cache_control`, kept so an Anthropic upstream still gets it. */
  cacheControl?: unknown
}

export interface ImagePart {
  type: 'image'
  source: ImageSource
  /** OpenAI `detail`: auto | low | high. */
  detail?: string
  cacheControl?: unknown
}

export interface ReasoningPart {
  type: 'reasoning'
  text: string
  signature?: Signature
  /** Anthropic `redacted_thinking.data`: encrypted reasoning with no visible text. */
  redactedData?: string
}

export interface ToolCallPart {
  type: 'tool-call'
  id: string
  name: string
  /** The arguments as JSON text, exactly as the model produced them. */
  arguments: string
  /** Gemini 3 signs function calls; the signature must come back on the next turn. */
  signature?: Signature
  cacheControl?: unknown
}

export interface ToolResultPart {
  type: 'tool-result'
  callId: string
  /** Gemini answers by function name; other dialects by id. Filled from the matching call when absent. */
  name?: string
  content: Array<TextPart | ImagePart>
  isError?: boolean
  cacheControl?: unknown
}

export type IRPart = TextPart | ImagePart | ReasoningPart | ToolCallPart | ToolResultPart

export function partsText(parts: readonly IRPart[]): string {
  let s = ''
  for (const p of parts) if (p.type === 'text') s += p.text
  return s
}
