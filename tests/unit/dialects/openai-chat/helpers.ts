import type { SSEMessage, StreamDecoder } from '../../../../server/gateway/codec'
import type { IRStreamEvent } from '../../../../server/gateway/ir'
import { createSSEReader } from '../../../../server/gateway/sse'
import { openaiChatCodec } from '../../../../server/gateway/dialects/openai-chat'
import { fixtureChunks, fixtureText } from '../../../helpers/fixtures'

/** Raw SSE text → messages, through the gateway's own reader. */
export function sseMessages(text: string): SSEMessage[] {
  const out: SSEMessage[] = []
  const reader = createSSEReader((m) => out.push(m))
  reader.feed(text)
  reader.end()
  return out
}

/** A fixture file (raw `.sse` or `.chunks.txt`) → SSE messages. Chunk files get no `[DONE]`. */
export function fixtureMessages(rel: string): SSEMessage[] {
  if (rel.endsWith('.sse')) return sseMessages(fixtureText(rel))
  return fixtureChunks(rel).map((c) => ({ data: JSON.stringify(c) }))
}

export function decodeAll(msgs: SSEMessage[], dec: StreamDecoder = openaiChatCodec.createStreamDecoder()): IRStreamEvent[] {
  const events: IRStreamEvent[] = []
  for (const m of msgs) events.push(...dec.push(m))
  events.push(...dec.end())
  return events
}

export interface Assembled {
  text: string
  reasoning: string
  tools: Array<{ id: string; name: string; arguments: string; signature?: unknown }>
  finish?: Extract<IRStreamEvent, { type: 'finish' }>
}

/** Folds IR events into what they say, checking the lifecycle rules on the way. */
export function assemble(events: IRStreamEvent[]): Assembled {
  const out: Assembled = { text: '', reasoning: '', tools: [] }
  const open = new Map<number, string>()
  const tools = new Map<number, Assembled['tools'][number]>()
  let expected = 0
  events.forEach((ev, i) => {
    if (i === 0 && ev.type !== 'start') throw new Error(`first event is ${ev.type}`)
    if (out.finish) throw new Error(`event after finish: ${ev.type}`)
    if (ev.type.endsWith('-start') && ev.type !== 'start') {
      const idx = (ev as { index: number }).index
      if (idx !== expected++) throw new Error(`block index ${idx} out of order`)
      open.set(idx, ev.type)
    }
    if (ev.type.endsWith('-delta') || ev.type.endsWith('-end')) {
      const idx = (ev as { index: number }).index
      if (!open.has(idx)) throw new Error(`${ev.type} for block ${idx} that is not open`)
      if (ev.type.endsWith('-end')) open.delete(idx)
    }
    switch (ev.type) {
      case 'text-delta':
        out.text += ev.text
        break
      case 'reasoning-delta':
        out.reasoning += ev.text
        break
      case 'tool-call-start':
        tools.set(ev.index, { id: ev.id, name: ev.name, arguments: '' })
        break
      case 'tool-call-delta':
        tools.get(ev.index)!.arguments += ev.argumentsDelta
        break
      case 'tool-call-end':
        if (ev.signature) tools.get(ev.index)!.signature = ev.signature
        break
      case 'finish':
        if (open.size > 0) throw new Error('finish with open blocks')
        out.finish = ev
        break
      default:
    }
  })
  out.tools = [...tools.values()]
  return out
}

/** Runs IR events through the encoder and returns the wire text. */
export function encodeAll(events: IRStreamEvent[], includeUsage?: boolean, model = 'client-model'): string {
  const enc = openaiChatCodec.createStreamEncoder({ model, includeUsage })
  let s = ''
  for (const ev of events) s += enc.push(ev)
  return s + enc.end()
}

/** Strips values that legitimately differ between two decodes of the same stream. */
export function comparable(events: IRStreamEvent[]): unknown[] {
  return events.map((ev) => {
    if (ev.type === 'start') return { type: 'start' }
    if (ev.type === 'finish') return { type: 'finish', unified: ev.reason.unified }
    return ev
  })
}
