import type { IRPart, IRResponse, ToolCallPart } from '../../ir'
import { emptyUsage } from '../../ir'
import { GatewayError } from '../../errors'
import { failedResponseError } from './errors'
import { decodeFinishReason } from './map-finish-reason'
import { decodeReasoningItem } from './reasoning'
import { decodeUsage } from './usage'
import { DIALECT, epochSeconds, isRecord, num, str, type Json } from './wire'

/**
 * A `response` object → IR. Output items in order: reasoning → reasoning part, message → one text
 * part per output_text / refusal, function_call → tool call (call_id as id). Hosted-tool items
 * (web search, tool search ...) ran upstream and are not parts; their types are listed in extras.
 */
export function decodeResponse(body: unknown): IRResponse {
  if (!isRecord(body)) throw new GatewayError('upstream_error', 'upstream returned a non-object response body')
  if (!Array.isArray(body.output) && isRecord(body.error)) throw failedResponseError(body)
  if (body.status === 'failed') throw failedResponseError(body)
  const { parts, hadRefusal, hosted } = outputParts(body.output)
  const incomplete = isRecord(body.incomplete_details) ? str(body.incomplete_details.reason) : undefined
  const res: IRResponse = {
    id: str(body.id) ?? '',
    model: str(body.model) ?? '',
    created: num(body.created_at) ?? epochSeconds(),
    parts,
    finish: decodeFinishReason(str(body.status) ?? 'completed', incomplete, parts.some((p) => p.type === 'tool-call'), hadRefusal),
    usage: decodeUsage(body.usage) ?? emptyUsage(),
  }
  const extras: Json = {}
  if (typeof body.service_tier === 'string') extras.service_tier = body.service_tier
  if (hosted.length > 0) extras.hosted_items = hosted
  if (Object.keys(extras).length > 0) res.extras = { [DIALECT]: extras }
  return res
}

export function outputParts(output: unknown): { parts: IRPart[]; hadRefusal: boolean; hosted: string[] } {
  const parts: IRPart[] = []
  const hosted: string[] = []
  let hadRefusal = false
  if (!Array.isArray(output)) return { parts, hadRefusal, hosted }
  for (const item of output) {
    if (!isRecord(item)) continue
    switch (item.type) {
      case 'reasoning':
        parts.push(decodeReasoningItem(item))
        break
      case 'message':
        if (!Array.isArray(item.content)) break
        for (const c of item.content) {
          if (!isRecord(c)) continue
          if (c.type === 'output_text' && typeof c.text === 'string') parts.push({ type: 'text', text: c.text })
          else if (c.type === 'refusal' && typeof c.refusal === 'string') {
            hadRefusal = true
            parts.push({ type: 'text', text: c.refusal })
          }
        }
        break
      case 'function_call':
        parts.push(functionCallPart(item))
        break
      default:
        if (typeof item.type === 'string') hosted.push(item.type)
    }
  }
  return { parts, hadRefusal, hosted }
}

export function functionCallPart(item: Json): ToolCallPart {
  const args = item.arguments
  return {
    type: 'tool-call',
    id: str(item.call_id) ?? str(item.id) ?? '',
    name: str(item.name) ?? '',
    arguments: typeof args === 'string' ? args : args === undefined || args === null ? '' : JSON.stringify(args),
  }
}
