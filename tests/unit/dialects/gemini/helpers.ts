import type { IRStreamEvent } from '../../../../server/gateway/ir'
import * as geminiCodec from '../../../../server/gateway/dialects/gemini'
import { fixtureJson } from '../../../helpers/fixtures'
import { decodeStream, encodeStream, parseSSE } from '../../../helpers/stream'

export interface Interaction {
  url: string
  statusCode: number
  requestBody: Record<string, unknown>
  responseBodies: Record<string, unknown>[]
}

/** The js-genai replay recordings: one entry per HTTP exchange. */
export function replay(file: string): Interaction[] {
  const rec = fixtureJson(`gemini-replays/${file}`)
  return rec.interactions.map((i: any) => ({
    url: i.request.url,
    statusCode: i.response.statusCode,
    requestBody: i.request.bodySegments[0],
    responseBodies: i.response.bodySegments,
  }))
}

/** Path → DecodeRequestContext, as the route would do it. */
export function ctxFromUrl(url: string): { model: string; stream: boolean } {
  const m = /models\/([^:]+):(\w+)/.exec(url)!
  return { model: m[1]!, stream: m[2] === 'streamGenerateContent' }
}

export function decodeChunks(chunks: unknown[]): IRStreamEvent[] {
  return decodeStream(geminiCodec, chunks.map((c) => ({ data: JSON.stringify(c) })))
}

/** Parse SSE wire text the way the gateway does (sse.ts), then decode it. */
export function decodeSSEText(text: string): IRStreamEvent[] {
  return decodeStream(geminiCodec, parseSSE(text))
}

export function encodeEvents(events: IRStreamEvent[], opts: { sse?: boolean; model: string }): string {
  return encodeStream(geminiCodec, events, opts)
}

/** Events with deltas of one block joined, usage events dropped and `created` zeroed, for comparisons. */
export function collapse(events: IRStreamEvent[]): unknown[] {
  const out: any[] = []
  for (const e of events) {
    if (e.type === 'usage') continue
    if (e.type === 'start') {
      out.push({ ...e, created: 0 })
      continue
    }
    const prev = out[out.length - 1]
    if (e.type === 'tool-call-delta' && prev?.type === 'tool-call-delta' && prev.index === e.index) {
      prev.argumentsDelta += e.argumentsDelta
      continue
    }
    if ((e.type === 'text-delta' || e.type === 'reasoning-delta') && prev?.type === e.type && prev.index === e.index) {
      prev.text += e.text
      continue
    }
    out.push({ ...e })
  }
  return out
}

export function textOf(events: IRStreamEvent[], type: 'text-delta' | 'reasoning-delta'): string {
  return events.map((e) => (e.type === type ? e.text : '')).join('')
}

/** Tool calls assembled from events: id, name, arguments, signature. */
export function callsOf(events: IRStreamEvent[]) {
  const calls = new Map<number, { id: string; name: string; arguments: string; signature?: unknown }>()
  for (const e of events) {
    if (e.type === 'tool-call-start') calls.set(e.index, { id: e.id, name: e.name, arguments: '' })
    if (e.type === 'tool-call-delta') calls.get(e.index)!.arguments += e.argumentsDelta
    if (e.type === 'tool-call-end' && e.signature) calls.get(e.index)!.signature = e.signature
  }
  return [...calls.values()]
}
