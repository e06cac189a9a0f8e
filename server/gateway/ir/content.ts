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

/**
 * A document or audio input (PDF, plain text, wav, mp3, any MIME type Gemini takes). Each upstream
 * encoder decides whether it can carry it and refuses with `unsupported` naming the part when not:
 * the target decides, never the client's decoder, and nothing is dropped silently.
 */
export interface FilePart {
  type: 'file'
  /** `application/pdf`, `audio/wav`, `audio/mpeg`, `text/plain`... */
  mediaType: string
  source: { kind: 'base64'; data: string } | { kind: 'url'; url: string }
  filename?: string
  /** Where the client put it (`messages[0].content[1]`), so a refusal names the client's own field. */
  at?: string
  cacheControl?: unknown
}

export type IRPart = TextPart | ImagePart | ReasoningPart | ToolCallPart | ToolResultPart | FilePart

export function partsText(parts: readonly IRPart[]): string {
  let s = ''
  for (const p of parts) if (p.type === 'text') s += p.text
  return s
}
