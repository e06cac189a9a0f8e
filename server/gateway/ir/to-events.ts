import type { IRResponse } from './response'
import type { IRStreamEvent } from './stream'

/**
 * A complete response as the stream of events that would have produced it. Used where an answer
 * exists whole but must go out as a stream (and by tests, to drive any encoder from one IR).
 */
export function responseToEvents(res: IRResponse, chunkSize = 0): IRStreamEvent[] {
  const out: IRStreamEvent[] = [{ type: 'start', id: res.id, model: res.model, created: res.created }]
  const pieces = (s: string) => {
    if (chunkSize <= 0 || s.length <= chunkSize) return [s]
    const a: string[] = []
    for (let i = 0; i < s.length; i += chunkSize) a.push(s.slice(i, i + chunkSize))
    return a
  }
  res.parts.forEach((p, index) => {
    switch (p.type) {
      case 'text':
        out.push({ type: 'text-start', index })
        for (const t of pieces(p.text)) out.push({ type: 'text-delta', index, text: t })
        out.push({ type: 'text-end', index, signature: p.signature })
        break
      case 'reasoning':
        out.push({ type: 'reasoning-start', index, redactedData: p.redactedData })
        if (p.text) for (const t of pieces(p.text)) out.push({ type: 'reasoning-delta', index, text: t })
        out.push({ type: 'reasoning-end', index, signature: p.signature })
        break
      case 'tool-call':
        out.push({ type: 'tool-call-start', index, id: p.id, name: p.name })
        for (const t of pieces(p.arguments)) out.push({ type: 'tool-call-delta', index, argumentsDelta: t })
        out.push({ type: 'tool-call-end', index, signature: p.signature })
        break
      default:
        break // images / tool results do not appear in assistant output
    }
  })
  out.push({ type: 'finish', reason: res.finish, usage: res.usage })
  return out
}
