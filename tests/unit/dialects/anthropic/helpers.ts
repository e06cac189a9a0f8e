import { expect } from 'vitest'
import Anthropic from '@anthropic-ai/sdk'
import type { SSEMessage } from '../../../../server/gateway/codec'
import { wrapSignature, type IRStreamEvent } from '../../../../server/gateway/ir'
import * as anthropicCodec from '../../../../server/gateway/dialects/anthropic'
import { encodeFinishReason } from '../../../../server/gateway/dialects/anthropic/map-finish-reason'
import { fixtureFiles, fixtureText } from '../../../helpers/fixtures'
import { decodeStream, encodeStream, parseSSE } from '../../../helpers/stream'

export { parseSSE }

/** A fixture of either format → SSE messages framed as Anthropic sends them. */
export function fixtureMessages(rel: string): SSEMessage[] {
  if (rel.endsWith('.sse')) return parseSSE(fixtureText(rel))
  return fixtureText(rel)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((data) => ({ event: (JSON.parse(data) as { type: string }).type, data }))
}

export const STREAM_FIXTURES = [
  ...fixtureFiles('anthropic-sse', '.sse'),
  ...fixtureFiles('anthropic-chunks', '.chunks.txt'),
]

export function decodeMessages(msgs: SSEMessage[]): IRStreamEvent[] {
  return decodeStream(anthropicCodec, msgs)
}

export function decodeFixture(rel: string): IRStreamEvent[] {
  return decodeMessages(fixtureMessages(rel))
}

/** The stream IR lifecycle guarantees (ir/stream.ts). */
export function assertLifecycle(events: IRStreamEvent[]): void {
  expect(events[0]?.type).toBe('start')
  const finishes = events.filter((e) => e.type === 'finish')
  const last = events[events.length - 1]
  if (last?.type === 'error') {
    expect(finishes).toHaveLength(0)
    return
  }
  expect(finishes).toHaveLength(1)
  expect(last?.type).toBe('finish')
  const opened: number[] = []
  const closedSet = new Set<number>()
  for (const e of events) {
    if (e.type.endsWith('-start') && 'index' in e) {
      expect(e.index).toBe(opened.length)
      opened.push(e.index)
    } else if (e.type.endsWith('-end') && 'index' in e) {
      expect(opened).toContain(e.index)
      expect(closedSet.has(e.index)).toBe(false)
      closedSet.add(e.index)
    } else if (e.type.endsWith('-delta') && 'index' in e) {
      expect(opened).toContain(e.index)
      expect(closedSet.has(e.index)).toBe(false)
    }
  }
  expect(closedSet.size).toBe(opened.length)
}

/** Text of all deltas of a kind, per block index. */
export function blockTexts(events: IRStreamEvent[]): Record<number, string> {
  const out: Record<number, string> = {}
  for (const e of events) {
    if (e.type === 'text-delta' || e.type === 'reasoning-delta') out[e.index] = (out[e.index] ?? '') + e.text
    if (e.type === 'tool-call-delta') out[e.index] = (out[e.index] ?? '') + e.argumentsDelta
  }
  return out
}

/** Events without volatile fields (created), for round-trip comparison. */
export function normalise(events: IRStreamEvent[]): unknown[] {
  return events.map((e) => (e.type === 'start' ? { ...e, created: 0 } : e))
}

export function encodeAll(events: IRStreamEvent[], model = 'claude-test'): string {
  return encodeStream(anthropicCodec, events, { model })
}

/** Runs wire text through the official SDK's MessageStream, with no network. */
export async function sdkFinalMessage(wire: string): Promise<Anthropic.Message> {
  const client = new Anthropic({
    apiKey: 'test',
    maxRetries: 0,
    fetch: async () => new Response(wire, { headers: { 'content-type': 'text/event-stream' } }),
  })
  return client.messages
    .stream({ model: 'claude-test', max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }] })
    .finalMessage()
}

/** The message the SDK assembled holds exactly what the IR stream said, block by block. */
export function expectSdkMessageMatches(msg: Anthropic.Message, ir: IRStreamEvent[]): void {
  const fin = ir.find((e) => e.type === 'finish')
  if (fin?.type !== 'finish') throw new Error('no finish')
  expect(msg.stop_reason).toBe(encodeFinishReason(fin.reason))
  const read = fin.usage.cacheReadTokens ?? 0
  const write = fin.usage.cacheWriteTokens ?? 0
  expect(msg.usage.input_tokens).toBe(Math.max(0, fin.usage.inputTokens - read - write))
  expect(msg.usage.output_tokens).toBe(fin.usage.outputTokens)
  expect(msg.usage.cache_read_input_tokens).toBe(read)
  const starts = ir.filter((e) => e.type.endsWith('-start') && e.type !== 'start')
  expect(msg.content).toHaveLength(starts.length)
  const texts = blockTexts(ir)
  starts.forEach((s, i) => {
    const block = msg.content[i]
    if (s.type === 'text-start') expect(block).toMatchObject({ type: 'text', text: texts[i] ?? '' })
    if (s.type === 'reasoning-start') {
      const end = ir.find((e) => e.type === 'reasoning-end' && e.index === i)
      const sig = end?.type === 'reasoning-end' && end.signature ? wrapSignature(end.signature, 'anthropic') : ''
      expect(block).toMatchObject({ type: 'thinking', thinking: texts[i] ?? '', signature: sig })
    }
    if (s.type === 'tool-call-start') {
      expect(block).toMatchObject({ type: 'tool_use', id: s.id, name: s.name })
      let args: unknown
      try {
        args = JSON.parse(texts[i] || '{}')
      } catch {
        return // truncated by max_tokens: the SDK keeps what it can parse
      }
      expect(block?.type === 'tool_use' ? block.input : undefined).toEqual(args)
    }
  })
}
