/** Converse content blocks (an assistant `output.message.content`) → IR parts, in order. */
import type { IRPart } from '../../ir'
import { arr, isRecord, str, DIALECT } from './wire'

/**
 * Reads text, toolUse and reasoningContent blocks; other blocks an assistant answer may hold
 * (citations, guard content) carry no text the client can use and are skipped.
 */
export function decodeMessages(content: unknown): IRPart[] {
  const parts: IRPart[] = []
  for (const b of arr(content)) {
    if (!isRecord(b)) continue
    if (typeof b.text === 'string') {
      if (b.text !== '') parts.push({ type: 'text', text: b.text })
    } else if (isRecord(b.toolUse)) {
      const t = b.toolUse
      parts.push({ type: 'tool-call', id: str(t.toolUseId) ?? '', name: str(t.name) ?? '', arguments: JSON.stringify(t.input ?? {}) })
    } else if (isRecord(b.reasoningContent)) {
      const r = b.reasoningContent
      if (isRecord(r.reasoningText)) {
        const sig = str(r.reasoningText.signature)
        parts.push({ type: 'reasoning', text: str(r.reasoningText.text) ?? '', ...(sig ? { signature: { origin: DIALECT, value: sig } } : {}) })
      } else if (typeof r.redactedContent === 'string') parts.push({ type: 'reasoning', text: '', redactedData: r.redactedContent })
    }
  }
  return parts
}
