import { expect } from 'vitest'
import type { SSEMessage } from '../../../../server/gateway/codec'
import type { IRStreamEvent } from '../../../../server/gateway/ir'
import * as openaiResponsesCodec from '../../../../server/gateway/dialects/openai-responses'
import { fixtureText } from '../../../helpers/fixtures'
import { decodeStream, encodeStream, parseSSE } from '../../../helpers/stream'

export const DIR = 'openai-responses'

export { parseSSE }

/**
 * A `.chunks.txt` fixture → SSE messages framed as the API sends them (`event: <type>`). Lines are
 * kept as raw text: the parallel-tool-call fixture has two lines that are not valid JSON.
 * Files holding several recorded responses are split at each `response.created`.
 */
export function fixtureStreams(rel: string): SSEMessage[][] {
  const streams: SSEMessage[][] = []
  for (const line of fixtureText(rel).split('\n')) {
    if (line.trim() === '') continue
    const type = /^\{"type":"([a-z_.]+)"/.exec(line)?.[1]
    if (type === 'response.created' || streams.length === 0) streams.push([])
    streams[streams.length - 1]!.push(type ? { event: type, data: line } : { data: line })
  }
  return streams
}

export function decodeAll(msgs: SSEMessage[]): IRStreamEvent[] {
  return decodeStream(openaiResponsesCodec, msgs)
}

export function encodeAll(events: IRStreamEvent[], model = 'client-model'): string {
  return encodeStream(openaiResponsesCodec, events, { model })
}

export interface Assembled {
  text: string[]
  reasoning: Array<{ text: string; signature?: unknown; redactedData?: string }>
  tools: Array<{ id: string; name: string; arguments: string }>
  finish?: Extract<IRStreamEvent, { type: 'finish' }>
  error?: Extract<IRStreamEvent, { type: 'error' }>
}

/** Folds IR events, asserting the lifecycle guarantees of ir/stream.ts on the way. */
export function assemble(events: IRStreamEvent[]): Assembled {
  const out: Assembled = { text: [], reasoning: [], tools: [] }
  expect(events[0]?.type).toBe('start')
  const open = new Map<number, string>()
  let expected = 0
  for (const ev of events) {
    expect(out.finish).toBeUndefined()
    expect(out.error).toBeUndefined()
    if ('index' in ev) {
      if (ev.type.endsWith('-start')) {
        expect(ev.index).toBe(expected++)
        expect(open.size).toBe(0) // one block at a time
        open.set(ev.index, ev.type.split('-')[0]!)
      } else expect(open.has(ev.index)).toBe(true)
      if (ev.type.endsWith('-end')) open.delete(ev.index)
    }
    switch (ev.type) {
      case 'text-start':
        out.text.push('')
        break
      case 'text-delta':
        out.text[out.text.length - 1] += ev.text
        break
      case 'reasoning-start':
        out.reasoning.push(ev.redactedData !== undefined ? { text: '', redactedData: ev.redactedData } : { text: '' })
        break
      case 'reasoning-delta':
        out.reasoning[out.reasoning.length - 1]!.text += ev.text
        break
      case 'reasoning-end':
        if (ev.signature) out.reasoning[out.reasoning.length - 1]!.signature = ev.signature
        break
      case 'tool-call-start':
        out.tools.push({ id: ev.id, name: ev.name, arguments: '' })
        break
      case 'tool-call-delta':
        out.tools[out.tools.length - 1]!.arguments += ev.argumentsDelta
        break
      case 'finish':
        expect(open.size).toBe(0)
        out.finish = ev
        break
      case 'error':
        out.error = ev
        break
      default:
    }
  }
  if (!out.error) expect(events[events.length - 1]?.type).toBe('finish')
  return out
}

/** Drops what legitimately differs between two decodes (ids, created, raw finish of another dialect). */
export function comparable(events: IRStreamEvent[]): unknown[] {
  return events.map((ev) => {
    if (ev.type === 'start') return { type: 'start' }
    if (ev.type === 'finish') {
      // the wire always writes cached/reasoning counts; a 0 there equals "not reported"
      const usage = Object.fromEntries(Object.entries(ev.usage).filter(([k, v]) => !(v === 0 && (k === 'cacheReadTokens' || k === 'reasoningTokens'))))
      return { type: 'finish', unified: ev.reason.unified, usage }
    }
    return ev
  })
}
