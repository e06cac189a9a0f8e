import type { IRPart, IRResponse, ToolCallPart } from '../../ir'
import { emptyUsage } from '../../ir'
import { GatewayError } from '../../errors'
import { streamError } from './errors'
import { decodeFinishReason } from './map-finish-reason'
import { readToolSignature, reasoningParts } from './reasoning'
import { decodeUsage } from './usage'
import { DIALECT, epochSeconds, isRecord, num, str, type Json } from './wire'
import { arr } from '../../json'

/** A `chat.completion` body → IR: choice 0 as the answer, any further choices (`n > 1`) as alternatives. */
export function decodeResponse(body: unknown): IRResponse {
  if (!isRecord(body)) throw new GatewayError('upstream_error', 'upstream returned a non-object chat.completion body')
  // Some compatible servers answer 200 with an error body.
  if (!Array.isArray(body.choices) && isRecord(body.error)) throw streamError(body)
  const choices = arr(body.choices)
  const choice = choices.find((c) => isRecord(c) && (c.index === undefined || c.index === 0)) ?? choices[0]
  const message = isRecord(choice) && isRecord(choice.message) ? choice.message : {}

  const parts = messageParts(message)
  const refusal = str(message.refusal)
  const hadTools = parts.some((p) => p.type === 'tool-call')
  const rawFinish = isRecord(choice) ? str(choice.finish_reason) : undefined

  const res: IRResponse = {
    id: str(body.id) ?? '',
    model: str(body.model) ?? '',
    created: num(body.created) ?? epochSeconds(),
    parts,
    finish: decodeFinishReason(rawFinish, hadTools, !!refusal),
    usage: decodeUsage(body.usage) ?? emptyUsage(),
  }
  const extras: Json = {}
  if (typeof body.system_fingerprint === 'string') extras.system_fingerprint = body.system_fingerprint
  if (typeof body.service_tier === 'string') extras.service_tier = body.service_tier
  if (Object.keys(extras).length > 0) res.extras = { [DIALECT]: extras }
  const others = choices.filter((c): c is Json => c !== choice && isRecord(c) && isRecord(c.message))
  if (others.length > 0) {
    others.sort((a, b) => (num(a.index) ?? 0) - (num(b.index) ?? 0))
    res.alternatives = others.map((c) => {
      const p = messageParts(c.message as Json)
      return { parts: p, finish: decodeFinishReason(str(c.finish_reason), p.some((x) => x.type === 'tool-call'), !!str((c.message as Json).refusal)) }
    })
  }
  return res
}

/** Reasoning first, then text (content, refusal), then tool calls. */
export function messageParts(message: Json): IRPart[] {
  const parts: IRPart[] = reasoningParts(message)
  const content = message.content
  if (typeof content === 'string' && content !== '') parts.push({ type: 'text', text: content })
  else if (Array.isArray(content)) {
    for (const c of content) if (isRecord(c) && typeof c.text === 'string') parts.push({ type: 'text', text: c.text })
  }
  const refusal = str(message.refusal)
  if (refusal) parts.push({ type: 'text', text: refusal })
  if (Array.isArray(message.tool_calls)) {
    for (const tc of message.tool_calls) {
      if (!isRecord(tc) || !isRecord(tc.function)) continue
      const args = tc.function.arguments
      const part: ToolCallPart = {
        type: 'tool-call',
        id: str(tc.id) ?? '',
        name: str(tc.function.name) ?? '',
        arguments: typeof args === 'string' ? args : args === undefined || args === null ? '' : JSON.stringify(args),
      }
      const sig = readToolSignature(tc)
      if (sig) part.signature = sig
      parts.push(part)
    }
  }
  return parts
}
