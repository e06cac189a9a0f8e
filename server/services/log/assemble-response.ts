import type { IRPart, IRResponse, IRStreamEvent, IRUsage, IRFinishReason } from '../../gateway/ir'
import { mergeUsage, finalUsage } from '../../gateway/ir'
import type { GatewayError } from '../../gateway/errors'

/**
 * A stream's events folded back into the one response they add up to, so the body log shows a
 * streamed answer the way an unstreamed one would look (then encoded in the client's dialect).
 * Tolerates a stream that broke off: whatever arrived is kept, and the error is returned beside it.
 */
export function assembleResponse(events: readonly IRStreamEvent[]): { response: IRResponse; error?: GatewayError } {
  let id = ''
  let model = ''
  let created = 0
  let usage: IRUsage | undefined
  let finish: IRFinishReason = { unified: 'other' }
  let error: GatewayError | undefined
  const parts: IRPart[] = []
  const byIndex = new Map<number, IRPart>()
  for (const ev of events) {
    switch (ev.type) {
      case 'start':
        id = ev.id
        model = ev.model
        created = ev.created
        if (ev.usage) usage = mergeUsage(usage, ev.usage)
        break
      case 'text-start':
        open(byIndex, parts, ev.index, { type: 'text', text: '' })
        break
      case 'text-delta': {
        const p = byIndex.get(ev.index) ?? open(byIndex, parts, ev.index, { type: 'text', text: '' })
        if (p.type === 'text') p.text += ev.text
        break
      }
      case 'reasoning-start':
        open(byIndex, parts, ev.index, { type: 'reasoning', text: '', redactedData: ev.redactedData })
        break
      case 'reasoning-delta': {
        const p = byIndex.get(ev.index) ?? open(byIndex, parts, ev.index, { type: 'reasoning', text: '' })
        if (p.type === 'reasoning') p.text += ev.text
        break
      }
      case 'tool-call-start':
        open(byIndex, parts, ev.index, { type: 'tool-call', id: ev.id, name: ev.name, arguments: '' })
        break
      case 'tool-call-delta': {
        const p = byIndex.get(ev.index)
        if (p?.type === 'tool-call') p.arguments += ev.argumentsDelta
        break
      }
      case 'text-end':
      case 'reasoning-end':
      case 'tool-call-end': {
        const p = byIndex.get(ev.index)
        if (p && ev.signature && (p.type === 'text' || p.type === 'reasoning' || p.type === 'tool-call')) p.signature = ev.signature
        break
      }
      case 'usage':
        usage = mergeUsage(usage, ev.usage)
        break
      case 'finish':
        finish = ev.reason
        usage = finalUsage(usage, ev.usage)
        break
      case 'error':
        error = ev.error
        finish = { unified: 'error' }
        break
    }
  }
  return { response: { id, model, created, parts, finish, usage: usage ?? { inputTokens: 0, outputTokens: 0 } }, error }
}

function open(byIndex: Map<number, IRPart>, parts: IRPart[], index: number, part: IRPart): IRPart {
  byIndex.set(index, part)
  parts.push(part)
  return part
}
