import { expect } from 'vitest'
/** Shared plumbing for the dialect matrix: pairs, wire parsing, stream pipelines, event folding. */
import type { DialectCodec, SSEMessage } from '../../../server/gateway/codec'
import type { DialectName, IRFinishReason, IRStreamEvent, IRUsage, Signature } from '../../../server/gateway/ir'
import { DIALECTS } from '../../../server/gateway/ir'
import { CODECS } from '../../../server/gateway/registry'
import { createSSEReader } from '../../../server/gateway/sse'

export type Pair = [client: DialectName, upstream: DialectName]

/** All 16 (client, upstream) pairs. */
export const PAIRS: Pair[] = DIALECTS.flatMap((c) => DIALECTS.map((u): Pair => [c, u]))

/** Client wire variants: Gemini clients may stream SSE (`?alt=sse`) or a JSON array. */
export type ClientWire = { dialect: DialectName; sse: boolean; label: string }
export const CLIENT_WIRES: ClientWire[] = [
  { dialect: 'openai-chat', sse: true, label: 'openai-chat' },
  { dialect: 'openai-responses', sse: true, label: 'openai-responses' },
  { dialect: 'anthropic', sse: true, label: 'anthropic' },
  { dialect: 'gemini', sse: true, label: 'gemini(sse)' },
  { dialect: 'gemini', sse: false, label: 'gemini(array)' },
]

export function parseSSE(text: string): SSEMessage[] {
  const out: SSEMessage[] = []
  const reader = createSSEReader((m) => out.push(m))
  reader.feed(text)
  reader.end()
  return out
}

/** Wire text of a stream → messages: SSE, or Gemini's streamed JSON array. */
export function wireMessages(text: string, sse = true): SSEMessage[] {
  if (sse) return parseSSE(text)
  const arr = JSON.parse(text) as unknown[]
  if (!Array.isArray(arr)) throw new Error('Gemini array stream is not a JSON array')
  return arr.map((c) => ({ data: JSON.stringify(c) }))
}

export function decodeStream(codec: DialectCodec, msgs: SSEMessage[]): IRStreamEvent[] {
  const dec = codec.createStreamDecoder()
  const out: IRStreamEvent[] = []
  for (const m of msgs) out.push(...dec.push(m))
  out.push(...dec.end())
  return out
}

export function encodeStream(codec: DialectCodec, events: IRStreamEvent[], opts: { sse?: boolean; includeUsage?: boolean } = {}): string {
  const enc = codec.createStreamEncoder({ model: 'client-model', sse: opts.sse, includeUsage: opts.includeUsage ?? true })
  let s = ''
  for (const e of events) s += enc.push(e)
  return s + enc.end()
}

/** Upstream IR events → client encoder → client wire → client decoder (what a client SDK would see). */
export function throughClient(events: IRStreamEvent[], client: DialectName, sse = true): IRStreamEvent[] {
  const wire = encodeStream(CODECS[client], events, { sse })
  return decodeStream(CODECS[client], wireMessages(wire, sse))
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

/**
 * The signature an upstream's decoder yields for a signature it was given: the same, except that a
 * Responses upstream's reasoning item id travels inside its own value (`rsid1.<rs_id>.<encrypted>`,
 * see dialects/openai-responses/reasoning.ts), so the next turn can send the item id back.
 */
export function expectUpstreamSignature(got: Signature | undefined, sent: Signature): void {
  if (sent.origin !== 'openai-responses') return void expect(got).toEqual(sent)
  expect(got?.origin).toBe('openai-responses')
  expect(got?.value).toMatch(new RegExp(`^rsid1\\.rs_[a-z0-9]+\\.${sent.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`))
}

/** Arguments JSON → value, or the raw text when it does not parse (truncated calls). */
export function args(s: string): unknown {
  try {
    return JSON.parse(s === '' ? '{}' : s)
  } catch {
    return { $unparsable: s }
  }
}

/** Tool calls as compared across dialects: name + parsed arguments. */
export function callShapes(tools: Array<{ name: string; arguments: string }>): Array<{ name: string; args: unknown }> {
  return tools.map((t) => ({ name: t.name, args: args(t.arguments) }))
}

/** Usage as every dialect can carry it; cache writes only exist on the Anthropic wire. */
export function expectUsage(got: IRUsage, want: IRUsage, keepsCacheWrite: boolean): void {
  expect(got.inputTokens).toBe(want.inputTokens)
  expect(got.outputTokens).toBe(want.outputTokens)
  expect(got.cacheReadTokens ?? 0).toBe(want.cacheReadTokens ?? 0)
  expect(got.reasoningTokens ?? 0).toBe(want.reasoningTokens ?? 0)
  expect(got.cacheWriteTokens ?? 0).toBe(keepsCacheWrite ? (want.cacheWriteTokens ?? 0) : 0)
}

