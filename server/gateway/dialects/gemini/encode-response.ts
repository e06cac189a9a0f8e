import { wrapSignature, wrapThinking, type IRPart, type IRResponse, type ReasoningPart } from '../../ir'
import { encodeFinishReason } from './map-finish-reason'
import { encodeUsage } from './usage'
import { isRecord, type Json } from './wire'

/**
 * IR part → Gemini response part. Signatures of any origin ride in `thoughtSignature` (wrapped when
 * foreign) so a Gemini client echoes them back; call ids are included (the @google/genai SDK exposes
 * `functionCall.id` and sends it back), so another vendor's call id survives the round trip.
 */
export function encodeResponsePart(p: IRPart): Json | undefined {
  switch (p.type) {
    case 'text':
      return p.signature ? { text: p.text, thoughtSignature: wrapSignature(p.signature, 'gemini') } : { text: p.text }
    case 'reasoning':
      if (p.redactedData !== undefined && p.text === '') return undefined
      return p.signature
        ? { text: p.text, thought: true, thoughtSignature: wrapSignature(p.signature, 'gemini') }
        : { text: p.text, thought: true }
    case 'tool-call': {
      const part: Json = { functionCall: { id: p.id, name: p.name, args: parseArgs(p.arguments) } }
      if (p.signature) part.thoughtSignature = wrapSignature(p.signature, 'gemini')
      return part
    }
    case 'image':
      return p.source.kind === 'base64'
        ? { inlineData: { mimeType: p.source.mediaType, data: p.source.data } }
        : { fileData: { mimeType: p.source.mediaType ?? 'image/jpeg', fileUri: p.source.url } }
    case 'tool-result':
    case 'file': // inputs only: no decoder puts a file in a response
      return undefined
    default: {
      const never: never = p
      return never
    }
  }
}

export function parseArgs(args: string): Json {
  try {
    const v: unknown = JSON.parse(args)
    if (isRecord(v)) return v
  } catch {
    // fall through
  }
  return {}
}

/**
 * IR parts → Gemini parts; the first unsigned function call carries the thinking before it (see
 * wrapThinking), because Gemini clients such as Gemini CLI send calls back but not thought parts.
 */
export function encodeResponseParts(irParts: readonly IRPart[]): Json[] {
  const parts: Json[] = []
  const reasoning: ReasoningPart[] = []
  let carried = false
  for (const p of irParts) {
    const part = encodeResponsePart(p)
    if (p.type === 'reasoning') reasoning.push(p)
    else if (p.type === 'tool-call' && !carried && part) {
      carried = true
      const carrier = p.signature ? undefined : wrapThinking(reasoning)
      if (carrier) part.thoughtSignature = carrier
    }
    if (part) parts.push(part)
  }
  return parts
}

export function encodeResponse(res: IRResponse, model: string): Record<string, unknown> {
  const gx = isRecord(res.extras?.gemini) ? res.extras.gemini : {}
  const parts = encodeResponseParts(res.parts)
  const out: Json = {}
  const feedback = gx.promptFeedback
  if (parts.length === 0 && res.finish.unified === 'content-filter' && isRecord(feedback) && feedback.blockReason) {
    // The prompt itself was blocked: Gemini answers with no candidates.
    out.promptFeedback = feedback
  } else {
    const candidate: Json = {
      content: { role: 'model', parts },
      finishReason: encodeFinishReason(res.finish),
      index: 0,
      ...(isRecord(gx.candidate) ? gx.candidate : {}),
    }
    out.candidates = [
      candidate,
      ...(res.alternatives ?? []).map((a, i) => ({
        content: { role: 'model', parts: encodeResponseParts(a.parts) },
        finishReason: encodeFinishReason(a.finish),
        index: i + 1,
      })),
    ]
    if (feedback !== undefined) out.promptFeedback = feedback
  }
  out.usageMetadata = encodeUsage(res.usage)
  out.modelVersion = model
  out.responseId = res.id
  return out
}
