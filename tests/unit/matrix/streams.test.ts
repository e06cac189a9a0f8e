/**
 * Streams across the matrix: responseToEvents(ir, small chunks) → upstream encoder → wire text →
 * createSSEReader → upstream decoder → client encoder → wire text (SSE, or Gemini's JSON array) →
 * client decoder. The client must see the same text, reasoning (+ signature), tool calls, finish and
 * usage, with a valid event lifecycle at every stage.
 */
import { describe, it, expect } from 'vitest'
import type { DialectName, IRPart, IRResponse } from '../../../server/gateway/ir'
import { partsText, responseToEvents } from '../../../server/gateway/ir'
import { CODECS } from '../../../server/gateway/registry'
import { CLIENT_WIRES, PAIRS, callShapes, expectUpstreamSignature, expectUsage, decodeStream, encodeStream, fold, parseSSE, throughClient } from './helpers'
import { RESPONSE_CASES, WIRE_FINISH, responseCase, type ResponseCase } from './builders/responses'
import { GatewayError } from '../../../server/gateway/errors'

const CHUNK = 4

function upstreamEvents(ir: IRResponse, upstream: DialectName) {
  const wire = encodeStream(CODECS[upstream], responseToEvents(structuredClone(ir), CHUNK), { sse: true })
  return decodeStream(CODECS[upstream], parseSSE(wire))
}

const reasoningOf = (parts: IRPart[]) => parts.flatMap((p) => (p.type === 'reasoning' ? [p.text] : [])).join('')
const callsOf = (parts: IRPart[]) => parts.flatMap((p) => (p.type === 'tool-call' ? [p] : []))
const sigsOf = (parts: IRPart[]) => parts.flatMap((p) => (p.type === 'reasoning' && p.signature ? [p.signature] : []))

describe.each(PAIRS)('stream %s client ← %s upstream', (client, upstream) => {
  const wires = CLIENT_WIRES.filter((w) => w.dialect === client)

  it.each(RESPONSE_CASES)('%s', (c: ResponseCase) => {
    const ir = responseCase(c, upstream)
    const upEvents = upstreamEvents(ir, upstream)
    const up = fold(upEvents)
    expect(up.text).toBe(partsText(ir.parts))
    expect(up.finish?.reason).toMatchObject({ unified: ir.finish.unified, raw: WIRE_FINISH[upstream][ir.finish.unified] })
    expect(up.reasoningSignatures).toHaveLength(sigsOf(ir.parts).length)
    sigsOf(ir.parts).forEach((s, i) => expectUpstreamSignature(up.reasoningSignatures[i], s))
    for (const w of wires) {
      const seen = fold(throughClient(upEvents, client, w.sse))
      expect(seen.text, w.label).toBe(partsText(ir.parts))
      expect(seen.reasoning, w.label).toBe(reasoningOf(ir.parts))
      expect(seen.reasoningSignatures, w.label).toEqual(up.reasoningSignatures)
      expect(callShapes(seen.tools), w.label).toEqual(callShapes(callsOf(ir.parts)))
      expect(seen.tools.map((t) => t.id), w.label).toEqual(callsOf(ir.parts).map((p) => p.id))
      expect(seen.finish!.reason.unified, w.label).toBe(ir.finish.unified)
      expect(seen.finish!.reason.raw, w.label).toBe(WIRE_FINISH[client][ir.finish.unified])
      expectUsage(seen.finish!.usage, ir.usage, client === 'anthropic' && upstream === 'anthropic')
    }
  })

  it('streamed tool calls: argument fragments are reassembled into the same JSON', () => {
    const ir = responseCase('parallel-tool-calls', upstream)
    const upEvents = upstreamEvents(ir, upstream)
    const deltas = upEvents.filter((e) => e.type === 'tool-call-delta').length
    // OpenAI and Anthropic stream arguments in fragments; Gemini sends whole calls
    if (upstream === 'gemini') expect(deltas).toBe(2)
    else expect(deltas).toBeGreaterThan(10)
    for (const w of wires) {
      const clientWire = encodeStream(CODECS[client], upEvents, { sse: w.sse })
      const seen = fold(throughClient(upEvents, client, w.sse))
      expect(seen.tools.map((t) => [t.name, JSON.parse(t.arguments)])).toEqual([
        ['get_weather', JSON.parse(callsOf(ir.parts)[0]!.arguments)],
        ['get_time', { tz: 'Europe/Paris' }],
      ])
      if (client === 'openai-chat') {
        // tool calls numbered 0, 1 by their own order on the OpenAI wire
        const idx = new Set(parseSSE(clientWire).flatMap((m) => (m.data === '[DONE]' ? [] : (JSON.parse(m.data).choices[0]?.delta?.tool_calls ?? []).map((t: any) => t.index))))
        expect([...idx]).toEqual([0, 1])
      }
      if (client === 'openai-responses') {
        // Responses SSE: `event:` names the type, sequence_number counts up from 0, one function_call
        // output item per call (call_id = the IR id), and response.completed ends it with the same items
        const frames = parseSSE(clientWire)
        const data = frames.map((m) => JSON.parse(m.data))
        expect(frames.map((m) => m.event)).toEqual(data.map((d) => d.type))
        expect(data.map((d) => d.sequence_number)).toEqual(data.map((_, i) => i))
        expect(data.slice(0, 2).map((d) => d.type)).toEqual(['response.created', 'response.in_progress'])
        const done = data.filter((d) => d.type === 'response.output_item.done').map((d) => [d.output_index, d.item.type, d.item.call_id, d.item.name])
        expect(done).toEqual([[0, 'function_call', 'call_a1', 'get_weather'], [1, 'function_call', 'call_b2', 'get_time']])
        const last = data[data.length - 1]
        expect(last.type).toBe('response.completed')
        expect(last.response.status).toBe('completed')
        expect(last.response.output.map((o: any) => o.call_id)).toEqual(['call_a1', 'call_b2'])
        expect(clientWire).not.toContain('[DONE]')
      }
    }
  })

  it('an in-band upstream error reaches the client as its own error, with no finish', () => {
    const upEvents = upstreamEvents(responseCase('text', upstream), upstream).filter((e) => e.type !== 'finish')
    upEvents.push({ type: 'error', error: new GatewayError('overloaded', 'Overloaded') })
    for (const w of wires) {
      const seen = fold(throughClient(upEvents, client, w.sse))
      expect(seen.finish, w.label).toBeUndefined()
      expect(seen.error?.message, w.label).toBe('Overloaded')
      // OpenAI's in-band error shape (Chat chunk or Responses `error` event) has no 'overloaded' type: it reads back as a generic upstream error
      expect(seen.error?.kind, w.label).toBe(client === 'openai-chat' || client === 'openai-responses' ? 'upstream_error' : 'overloaded')
      expect(seen.text, w.label).toBe(partsText(responseCase('text', upstream).parts))
    }
  })
})
