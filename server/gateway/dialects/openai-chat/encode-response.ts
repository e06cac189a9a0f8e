import type { IRFinishReason, IRPart, IRResponse, ReasoningPart } from '../../ir'
import { encodeFinishReason } from './map-finish-reason'
import { encodeReasoningDetail, needsReasoningDetails, toolSignatureExtra } from './reasoning'
import { encodeUsage } from './usage'
import { DIALECT, isRecord, type Json } from './wire'

/**
 * IR → a `chat.completion` body for a client. Reasoning text goes in `reasoning_content`; when any
 * reasoning carries a signature or redacted data, all reasoning parts also go in
 * `reasoning_details` (which the client echoes back and our decoder prefers). Tool-call signatures
 * ride in `extra_content.google.thought_signature`. Text-part signatures have no field here.
 */
export function encodeResponse(res: IRResponse, model: string): Json {
  const answers = [{ parts: res.parts, finish: res.finish }, ...(res.alternatives ?? [])]
  const body: Json = {
    id: res.id,
    object: 'chat.completion',
    created: res.created,
    model,
    choices: answers.map((a, index) => encodeChoice(a.parts, a.finish, index)),
    usage: encodeUsage(res.usage),
  }
  const extras = res.extras?.[DIALECT]
  if (isRecord(extras)) {
    if (typeof extras.system_fingerprint === 'string') body.system_fingerprint = extras.system_fingerprint
    if (typeof extras.service_tier === 'string') body.service_tier = extras.service_tier
  }
  return body
}

function encodeChoice(parts: readonly IRPart[], finish: IRFinishReason, index: number): Json {
  let content = ''
  let hasText = false
  const reasoning: ReasoningPart[] = []
  const toolCalls: Json[] = []
  for (const p of parts) {
    if (p.type === 'text') {
      content += p.text
      hasText = true
    } else if (p.type === 'reasoning') reasoning.push(p)
    else if (p.type === 'tool-call') {
      const tc: Json = { id: p.id, type: 'function', function: { name: p.name, arguments: p.arguments } }
      if (p.signature) tc.extra_content = toolSignatureExtra(p.signature)
      toolCalls.push(tc)
    }
  }
  const message: Json = { role: 'assistant', content: hasText ? content : null, refusal: null }
  if (toolCalls.length > 0) message.tool_calls = toolCalls
  const reasoningText = reasoning.map((r) => r.text).join('')
  if (reasoningText) message.reasoning_content = reasoningText
  if (needsReasoningDetails(reasoning)) message.reasoning_details = reasoning.map(encodeReasoningDetail)
  return { index, message, logprobs: null, finish_reason: encodeFinishReason(finish) }
}
