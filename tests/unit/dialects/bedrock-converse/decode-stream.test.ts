import { describe, expect, it } from 'vitest'
import * as codec from '../../../../server/gateway/dialects/bedrock-converse'
import type { SSEMessage } from '../../../../server/gateway/codec'
import type { IRStreamEvent } from '../../../../server/gateway/ir'
import { GatewayError } from '../../../../server/gateway/errors'
import { encodeException, frames, textStreamEvents, toolCallStreamEvents } from './wire'

function messages(chunks: Buffer[]): SSEMessage[] {
  const out: SSEMessage[] = []
  const r = codec.createFrameReader!((m) => out.push(m))
  for (const c of chunks) r.feed(c)
  r.end()
  return out
}

function decode(msgs: SSEMessage[]): IRStreamEvent[] {
  const d = codec.createStreamDecoder()
  return [...msgs.flatMap((m) => d.push(m)), ...d.end()]
}

describe('eventstream framing (@smithy/eventstream-codec)', () => {
  const bytes = frames(toolCallStreamEvents())

  it('reads the same messages however the bytes are chunked: one byte at a time, frames split, several per chunk', () => {
    const whole = messages([bytes])
    expect(whole.map((m) => m.event)).toEqual(toolCallStreamEvents().map(([t]) => t))
    const bytewise = messages([...bytes].map((b) => Buffer.from([b])))
    const odd = messages(Array.from({ length: Math.ceil(bytes.length / 37) }, (_, i) => bytes.subarray(i * 37, i * 37 + 37)))
    expect(bytewise).toEqual(whole)
    expect(odd).toEqual(whole)
    expect(JSON.parse(whole[1]!.data)).toMatchObject({ contentBlockIndex: 0, delta: { reasoningContent: { text: 'The user wants ' } } })
  })

  it('an exception frame becomes exception:<type>', () => {
    const m = messages([Buffer.from(encodeException('throttlingException', 'Too many tokens, please wait before trying again.'))])
    expect(m).toEqual([{ event: 'exception:throttlingException', data: '{"message":"Too many tokens, please wait before trying again."}' }])
  })

  it('a damaged frame (bad CRC) and a stream cut inside a frame are errors, not silence', () => {
    const bad = Buffer.from(bytes)
    bad[bad.readUInt32BE(0) - 1]! ^= 0xff
    expect(() => messages([bad])).toThrow(GatewayError)
    expect(() => messages([bytes.subarray(0, bytes.length - 3)])).toThrow(/ended inside a frame/)
  })
})

describe('ConverseStream events → IR', () => {
  it('opens blocks in order, carries the reasoning signature, the tool call, finish and usage', () => {
    const evs = decode(messages([frames(toolCallStreamEvents())]))
    expect(evs.map((e) => e.type)).toEqual([
      'start',
      'reasoning-start', 'reasoning-delta', 'reasoning-delta', 'reasoning-end',
      'text-start', 'text-delta', 'text-delta', 'text-end',
      'tool-call-start', 'tool-call-delta', 'tool-call-delta', 'tool-call-end',
      'finish',
    ])
    expect(evs.find((e) => e.type === 'reasoning-end')).toEqual({ type: 'reasoning-end', index: 0, signature: { origin: 'bedrock-converse', value: 'EqQBCkYIBRgCKkBsig==' } })
    expect(evs.find((e) => e.type === 'tool-call-start')).toMatchObject({ index: 2, id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather' })
    const fin = evs.at(-1) as Extract<IRStreamEvent, { type: 'finish' }>
    expect(fin.reason).toEqual({ unified: 'tool-calls', raw: 'tool_use', rawDialect: 'bedrock-converse' })
    expect(fin.usage).toEqual({ inputTokens: 520, outputTokens: 96, cacheReadTokens: 100 })
  })

  it('messageStop and metadata are terminal; a stream cut before them is not', () => {
    const ms = messages([frames(textStreamEvents())])
    expect(ms.map((m) => codec.isTerminalFrame(m))).toEqual([false, false, false, false, true, true])
  })

  it('an exception mid-stream closes open blocks and ends with its error kind', () => {
    const ms = messages([frames(textStreamEvents().slice(0, 2)), Buffer.from(encodeException('throttlingException', 'Too many requests'))])
    const evs = decode(ms)
    expect(evs.map((e) => e.type)).toEqual(['start', 'text-start', 'text-delta', 'text-end', 'error'])
    const err = (evs.at(-1) as Extract<IRStreamEvent, { type: 'error' }>).error
    expect([err.kind, err.message]).toEqual(['rate_limit', 'throttlingException: Too many requests'])
  })

  it('an exception before any content comes alone, so the request can still fail over', () => {
    const evs = decode(messages([Buffer.from(encodeException('throttlingException', 'Too many requests'))]))
    expect(evs.map((e) => e.type)).toEqual(['error'])
  })

  it('counts an unreadable payload instead of failing the stream', () => {
    const d = codec.createStreamDecoder()
    d.push({ event: 'messageStart', data: '{"role":"assistant"}' })
    expect(d.push({ event: 'contentBlockDelta', data: 'not json' })).toEqual([])
    expect(d.unparseable()).toBe(1)
  })
})
