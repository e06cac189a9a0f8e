/** Anthropic non-streamed Message → IR response. */
import { invalidRequest } from '../../errors'
import { mergeUsage, unwrapSignature, type IRPart, type IRResponse } from '../../ir'
import { decodeFinishReason } from './map-finish-reason'
import { isRecord, str, type Json } from './wire'
import { decodeUsage } from './usage'

/** Response fields kept for an Anthropic client (re-emitted by encodeResponse). */
const KEPT = ['stop_details', 'container', 'context_management'] as const

/**
 * Content blocks: text, thinking, redacted_thinking and tool_use map to IR parts. Server tool blocks
 * (server_tool_use, web_search_tool_result ...) are skipped and text citations dropped: the IR has
 * no place for them (and IRResponse no warnings list).
 */
export function decodeContentBlocks(content: unknown): IRPart[] {
  const parts: IRPart[] = []
  if (!Array.isArray(content)) return parts
  for (const b of content as unknown[]) {
    if (!isRecord(b)) continue
    switch (b.type) {
      case 'text':
        parts.push({ type: 'text', text: str(b.text) ?? '' })
        break
      case 'thinking': {
        const part: IRPart = { type: 'reasoning', text: str(b.thinking) ?? '' }
        const sig = str(b.signature)
        if (sig) part.signature = unwrapSignature(sig, 'anthropic')
        parts.push(part)
        break
      }
      case 'redacted_thinking':
        parts.push({ type: 'reasoning', text: '', redactedData: str(b.data) ?? '' })
        break
      case 'tool_use':
        parts.push({
          type: 'tool-call',
          id: str(b.id) ?? '',
          name: str(b.name) ?? '',
          arguments: JSON.stringify(isRecord(b.input) ? b.input : {}),
        })
        break
      default:
        break
    }
  }
  return parts
}

export function decodeResponse(body: unknown): IRResponse {
  if (!isRecord(body)) throw invalidRequest('Anthropic response: expected a JSON object')
  const res: IRResponse = {
    id: str(body.id) ?? '',
    model: str(body.model) ?? '',
    created: Math.floor(Date.now() / 1000),
    parts: decodeContentBlocks(body.content),
    finish: decodeFinishReason(body.stop_reason, body.stop_sequence),
    usage: mergeUsage(undefined, decodeUsage(body.usage)),
  }
  const kept: Json = {}
  for (const k of KEPT) if (body[k] !== undefined && body[k] !== null) kept[k] = body[k]
  if (Object.keys(kept).length > 0) res.extras = { anthropic: kept }
  return res
}
