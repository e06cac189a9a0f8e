/**
 * Stream plumbing every codec test needs: SSE text → messages through the gateway's own reader, a
 * codec's stream decoder/encoder run over a whole stream, and the fold that checks the IR lifecycle
 * (ir/stream.ts) while it collects what a stream says. One copy, so the dialect tests and the matrix
 * judge streams by the same rules.
 */
import type { DialectCodec, SSEMessage, StreamDecoder, StreamEncoderOptions } from '../../server/gateway/codec'
import type { IRFinishReason, IRStreamEvent, IRUsage, Signature } from '../../server/gateway/ir'
import { createSSEReader } from '../../server/gateway/sse'

/** Raw SSE text → messages, through the gateway's own reader (adds a missing final blank line). */
export function parseSSE(text: string): SSEMessage[] {
  const out: SSEMessage[] = []
  const reader = createSSEReader((m) => out.push(m))
  reader.feed(text)
  reader.end()
  return out
}

/** Every message through one decoder, then its `end()`. */
export function decodeStream(codec: DialectCodec, msgs: SSEMessage[], dec: StreamDecoder = codec.createStreamDecoder()): IRStreamEvent[] {
  const out: IRStreamEvent[] = []
  for (const m of msgs) out.push(...dec.push(m))
  out.push(...dec.end())
  return out
}

/** Every event through one encoder, then its `end()`: the wire text a client would read. */
export function encodeStream(codec: DialectCodec, events: IRStreamEvent[], opts: StreamEncoderOptions): string {
  const enc = codec.createStreamEncoder(opts)
  let s = ''
  for (const e of events) s += enc.push(e)
  return s + enc.end()
}

export interface ToolCallSeen {
  id: string
  name: string
  arguments: string
  signature?: Signature
}

export interface Folded {
  text: string
  reasoning: string
  reasoningSignatures: Signature[]
  tools: ToolCallSeen[]
  finish?: { reason: IRFinishReason; usage: IRUsage }
  error?: Extract<IRStreamEvent, { type: 'error' }>['error']
}

/**
 * Folds IR events into what they say, throwing on any lifecycle violation: `start` first, block
 * indexes opened 0,1,2..., deltas/ends only for open blocks, every block closed, one `finish`, last
 * (or an `error` ending the stream with no finish).
 */
export function fold(events: IRStreamEvent[]): Folded {
  const out: Folded = { text: '', reasoning: '', reasoningSignatures: [], tools: [] }
  const open = new Map<number, string>()
  const tools = new Map<number, ToolCallSeen>()
  let expected = 0
  events.forEach((ev, i) => {
    // an error before anything else is a complete stream too (a Gemini client reading an upstream
    // that failed right after `response.created` gets one error chunk, with no id to start with)
    if (i === 0 && ev.type !== 'start' && !(ev.type === 'error' && events.length === 1)) throw new Error(`first event is ${ev.type}`)
    if (i > 0 && ev.type === 'start') throw new Error('second start event')
    if (out.finish || out.error) throw new Error(`event after the end: ${ev.type}`)
    if (ev.type.endsWith('-start') && ev.type !== 'start') {
      const idx = (ev as { index: number }).index
      if (idx !== expected++) throw new Error(`block index ${idx} out of order`)
      open.set(idx, ev.type)
    }
    if (ev.type.endsWith('-delta') || ev.type.endsWith('-end')) {
      const idx = (ev as { index: number }).index
      const kind = open.get(idx)
      if (!kind) throw new Error(`${ev.type} for block ${idx} that is not open`)
      if (kind.split('-')[0] !== ev.type.split('-')[0]) throw new Error(`${ev.type} on a ${kind} block`)
      if (ev.type.endsWith('-end')) open.delete(idx)
    }
    switch (ev.type) {
      case 'text-delta':
        out.text += ev.text
        break
      case 'reasoning-delta':
        out.reasoning += ev.text
        break
      case 'reasoning-end':
        if (ev.signature) out.reasoningSignatures.push(ev.signature)
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
        out.finish = { reason: ev.reason, usage: ev.usage }
        break
      case 'error':
        out.error = ev.error
        break
      default:
    }
  })
  if (!out.finish && !out.error) throw new Error('stream ended without finish or error')
  out.tools = [...tools.values()]
  return out
}
