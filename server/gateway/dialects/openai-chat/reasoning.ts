import { unwrapSignature, wrapSignature, type UpstreamDialect, type IRPart, type ReasoningPart, type Signature } from '../../ir'
import { DIALECT, isRecord, str, type Json } from './wire'

/**
 * Where opaque reasoning state rides in Chat Completions:
 * - `reasoning_details` (OpenRouter's convention) on assistant messages / deltas, for thinking
 *   signatures and redacted thinking: [{type:'reasoning.text', text, signature, format},
 *   {type:'reasoning.encrypted', data, format}, {type:'reasoning.summary', summary, format}];
 * - `tool_calls[i].extra_content.google.thought_signature` (Gemini's OpenAI-compatible API) for
 *   function-call signatures.
 * Foreign values are wrapped with `wrapSignature(sig, 'openai-chat')`.
 */

const FORMAT_BY_ORIGIN: Record<UpstreamDialect, string> = {
  'bedrock-converse': 'unknown',
  anthropic: 'anthropic-claude-v1',
  gemini: 'google-gemini-v1',
  'openai-chat': 'unknown',
  'openai-responses': 'openai-responses-v1',
}

const ORIGIN_BY_FORMAT: Record<string, UpstreamDialect> = {
  'anthropic-claude-v1': 'anthropic',
  'google-gemini-v1': 'gemini',
}

function formatFor(origin: UpstreamDialect | undefined): string {
  return (origin && FORMAT_BY_ORIGIN[origin]) ?? 'unknown'
}

/** A value read from a reasoning_details entry: our wrapped value, or a raw one tagged by `format`. */
function readDetailSignature(value: string, format: string | undefined): Signature {
  const s = unwrapSignature(value, DIALECT)
  if (s.value !== value) return s
  return { origin: (format && ORIGIN_BY_FORMAT[format]) || DIALECT, value }
}

/** True when reasoning parts carry something only `reasoning_details` can hold. */
export function needsReasoningDetails(parts: readonly ReasoningPart[]): boolean {
  return parts.some((p) => p.signature !== undefined || p.redactedData !== undefined)
}

export function encodeReasoningDetail(p: ReasoningPart): Json {
  if (p.redactedData !== undefined) {
    return {
      type: 'reasoning.encrypted',
      data: wrapSignature({ origin: 'anthropic', value: p.redactedData }, DIALECT),
      format: formatFor('anthropic'),
    }
  }
  const d: Json = { type: 'reasoning.text', text: p.text }
  if (p.signature) d.signature = wrapSignature(p.signature, DIALECT)
  d.format = formatFor(p.signature?.origin)
  return d
}

/** One reasoning_details entry → a reasoning part (undefined for unknown entry types). */
export function decodeReasoningDetail(d: unknown): ReasoningPart | undefined {
  if (!isRecord(d)) return undefined
  const format = str(d.format)
  switch (d.type) {
    case 'reasoning.text': {
      const part: ReasoningPart = { type: 'reasoning', text: str(d.text) ?? '' }
      const sig = str(d.signature)
      if (sig) part.signature = readDetailSignature(sig, format)
      return part
    }
    case 'reasoning.summary':
      return { type: 'reasoning', text: str(d.summary) ?? '' }
    case 'reasoning.encrypted': {
      const data = str(d.data)
      if (!data) return undefined
      const sig = readDetailSignature(data, format)
      if (sig.origin === 'anthropic') return { type: 'reasoning', text: '', redactedData: sig.value }
      return { type: 'reasoning', text: '', signature: sig }
    }
    default:
      return undefined
  }
}

export function decodeReasoningDetails(list: unknown): ReasoningPart[] {
  if (!Array.isArray(list)) return []
  const out: ReasoningPart[] = []
  for (const d of list) {
    const p = decodeReasoningDetail(d)
    if (p) out.push(p)
  }
  return out
}

/** `extra_content.google.thought_signature` of a tool call: unprefixed values are Gemini's own. */
export function readToolSignature(tc: Json): Signature | undefined {
  const extra = tc.extra_content
  if (!isRecord(extra) || !isRecord(extra.google)) return undefined
  const v = str(extra.google.thought_signature)
  if (!v) return undefined
  const s = unwrapSignature(v, DIALECT)
  return s.value !== v ? s : { origin: 'gemini', value: v }
}

/** The `extra_content` to put on a tool call for a client (our own responses). */
export function toolSignatureExtra(sig: Signature): Json {
  return { google: { thought_signature: wrapSignature(sig, DIALECT) } }
}

/** Reasoning text of a wire message / delta: `reasoning_content` (DeepSeek, xAI) or `reasoning` (vLLM, OpenRouter). */
export function reasoningText(m: Json): string | undefined {
  return str(m.reasoning_content) ?? str(m.reasoning)
}

/**
 * The reasoning parts of an assistant message (a request's history or an answer): reasoning_details
 * (ours / OpenRouter's, which carry signatures) when present, else the plain reasoning text.
 */
export function reasoningParts(m: Json): IRPart[] {
  const details = decodeReasoningDetails(m.reasoning_details)
  if (details.length > 0) return details
  const r = reasoningText(m)
  return r ? [{ type: 'reasoning', text: r }] : []
}
