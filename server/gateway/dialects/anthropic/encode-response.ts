/** IR response → Anthropic non-streamed Message. */
import { wrapSignature, type IRPart, type IRResponse } from '../../ir'
import { encodeFinishReason } from './map-finish-reason'
import { isRecord, messageId, parseArguments, type Json } from './wire'
import { encodeUsage } from './usage'

/**
 * One IR part → a response content block. Tool-call arguments that are not a JSON object become
 * `input: {}` (the SDK would give the same for unparsable JSON). Foreign text / tool-call signatures
 * have no Anthropic field and are lost here.
 */
export function encodeResponsePart(p: IRPart): Json | null {
  switch (p.type) {
    case 'text':
      return { type: 'text', text: p.text }
    case 'reasoning':
      if (p.redactedData !== undefined) return { type: 'redacted_thinking', data: p.redactedData }
      return { type: 'thinking', thinking: p.text, signature: p.signature ? wrapSignature(p.signature, 'anthropic') : '' }
    case 'tool-call':
      return { type: 'tool_use', id: p.id, name: p.name, input: parseArguments(p.arguments) ?? {} }
    case 'image':
    case 'tool-result':
    case 'file':
      return null
  }
}

export function encodeResponse(res: IRResponse, model: string): Json {
  const content: Json[] = []
  for (const p of res.parts) {
    const b = encodeResponsePart(p)
    if (b) content.push(b)
  }
  const kept = isRecord(res.extras?.anthropic) ? res.extras.anthropic : {}
  return {
    ...kept,
    id: messageId(res.id),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: encodeFinishReason(res.finish),
    stop_sequence: res.finish.stopSequence ?? null,
    usage: encodeUsage(res.usage),
  }
}
