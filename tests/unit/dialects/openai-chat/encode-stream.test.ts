import { describe, expect, it } from 'vitest'
import OpenAI from 'openai'
import * as openaiChatCodec from '../../../../server/gateway/dialects/openai-chat'
import { GatewayError } from '../../../../server/gateway/errors'
import type { IRStreamEvent } from '../../../../server/gateway/ir'
import { fold, comparable, decodeAll, encodeAll, fixtureMessages, parseSSE, STREAM_FIXTURES } from './helpers'
import { reasoningBlock, textBlock, toolCallBlock } from '../../../helpers/ir-blocks'

/** An OpenAI client whose fetch answers every request with `sse` (no network). */
function clientFor(sse: string | string[]): { client: OpenAI; requests: unknown[] } {
  const bodies = Array.isArray(sse) ? [...sse] : [sse]
  const requests: unknown[] = []
  const client = new OpenAI({
    apiKey: 'test',
    baseURL: 'http://gateway.invalid/v1',
    maxRetries: 0,
    fetch: async (_url, init) => {
      requests.push(JSON.parse(String(init?.body)))
      return new Response(bodies.shift() ?? '', { status: 200, headers: { 'content-type': 'text/event-stream' } })
    },
  })
  return { client, requests }
}

const ANTHROPIC_SIG = { origin: 'anthropic' as const, value: 'EqQBCkYIBxgCKkD' }
const GEMINI_SIG = { origin: 'gemini' as const, value: 'CiQB0e2Kb' }

/** What an Anthropic upstream decoder would produce: thinking, text, two tool calls. */
const RICH: IRStreamEvent[] = [
  { type: 'start', id: 'msg_01ABC', model: 'claude-sonnet-4-5', created: 1760000000, usage: { inputTokens: 120 } },
  ...reasoningBlock(0, ['The user wants ', 'weather.'], { signature: ANTHROPIC_SIG }),
  ...textBlock(1, ['Checking ', 'both cities.']),
  ...toolCallBlock(2, { id: 'toolu_1', name: 'get_weather' }, ['{"city":', '"Paris"}']),
  ...toolCallBlock(3, { id: 'toolu_2', name: 'get_weather', signature: GEMINI_SIG }, ['{"city":"Oslo"}']),
  { type: 'usage', usage: { outputTokens: 57, cacheReadTokens: 100 } },
  { type: 'finish', reason: { unified: 'tool-calls', raw: 'tool_use', rawDialect: 'anthropic' }, usage: { inputTokens: 120, outputTokens: 57 } },
]

describe('openai-chat stream encoder', () => {
  it('writes chunks the way the API does', () => {
    const wire = encodeAll(RICH, true)
    expect(wire.endsWith('data: [DONE]\n\n')).toBe(true)
    const frames = wire.split('\n\n').filter(Boolean)
    for (const f of frames) expect(f.startsWith('data: ')).toBe(true)
    const chunks = parseSSE(wire)
      .filter((m) => m.data !== '[DONE]')
      .map((m) => JSON.parse(m.data))
    expect(chunks[0]).toEqual({
      id: 'msg_01ABC',
      object: 'chat.completion.chunk',
      created: 1760000000,
      model: 'client-model',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
    })
    const deltas = chunks.filter((c) => c.choices.length > 0).map((c) => c.choices[0].delta)
    expect(deltas.filter((d) => d.reasoning_content).map((d) => d.reasoning_content).join('')).toBe('The user wants weather.')
    expect(deltas.find((d) => d.reasoning_details)?.reasoning_details).toEqual([
      { type: 'reasoning.text', text: '', signature: 'rsig1.anthropic.EqQBCkYIBxgCKkD', format: 'anthropic-claude-v1' },
    ])
    // Tool calls numbered by their own order (0, 1), not by IR block index (2, 3).
    const toolDeltas = deltas.filter((d) => d.tool_calls).map((d) => d.tool_calls[0])
    expect(toolDeltas[0]).toEqual({ index: 0, id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '' } })
    expect(toolDeltas.map((t) => t.index)).toEqual([0, 0, 0, 1, 1, 1])
    expect(toolDeltas[5]).toEqual({ index: 1, function: { arguments: '' }, extra_content: { google: { thought_signature: 'rsig1.gemini.CiQB0e2Kb' } } })
    const last = chunks.at(-1)
    expect(last.choices).toEqual([])
    expect(last.usage).toEqual({
      prompt_tokens: 120,
      completion_tokens: 57,
      total_tokens: 177,
      prompt_tokens_details: { cached_tokens: 100 },
      completion_tokens_details: { reasoning_tokens: 0 },
    })
    expect(chunks.at(-2).choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' })
  })

  it('round-trips signatures and redacted reasoning through our own decoder', () => {
    const redacted: IRStreamEvent[] = [
      RICH[0]!,
      { type: 'reasoning-start', index: 0, redactedData: 'ErUBCkYIARgCIkB' },
      { type: 'reasoning-end', index: 0 },
      ...RICH.slice(1).map((e) => ('index' in e ? { ...e, index: e.index + 1 } : e)),
    ]
    const back = decodeAll(parseSSE(encodeAll(redacted, true)))
    const strip = (evs: IRStreamEvent[]) => comparable(evs.filter((e) => e.type !== 'usage' && e.type !== 'finish'))
    expect(strip(back)).toEqual(strip(redacted))
    const a = fold(back)
    expect(a.tools[1]!.signature).toEqual(GEMINI_SIG)
    expect(a.finish!.reason).toEqual({ unified: 'tool-calls', raw: 'tool_calls', rawDialect: 'openai-chat' })
    expect(a.finish!.usage).toEqual({ inputTokens: 120, outputTokens: 57, cacheReadTokens: 100, reasoningTokens: 0 })
  })

  it('writes no usage chunk unless include_usage was asked', () => {
    for (const flag of [undefined, false]) {
      const chunks = parseSSE(encodeAll(RICH, flag))
        .filter((m) => m.data !== '[DONE]')
        .map((m) => JSON.parse(m.data))
      expect(chunks.every((c) => c.choices.length === 1 && c.usage === undefined)).toBe(true)
    }
  })

  it('is parsed by the openai SDK: chat.completions.stream() → finalChatCompletion()', async () => {
    const { client } = clientFor(encodeAll(RICH, true))
    const stream = client.chat.completions.stream({ model: 'client-model', messages: [{ role: 'user', content: 'weather?' }] })
    const deltas: string[] = []
    stream.on('content', (d) => deltas.push(d))
    const done = await stream.finalChatCompletion()
    expect(deltas.join('')).toBe('Checking both cities.')
    expect(done.id).toBe('msg_01ABC')
    expect(done.model).toBe('client-model')
    const choice = done.choices[0]!
    expect(choice.finish_reason).toBe('tool_calls')
    expect(choice.message.role).toBe('assistant')
    expect(choice.message.content).toBe('Checking both cities.')
    const calls = choice.message.tool_calls as Array<OpenAI.ChatCompletionMessageFunctionToolCall & { extra_content?: unknown }>
    expect(calls.map((c) => [c.id, c.type, c.function.name, c.function.arguments])).toEqual([
      ['toolu_1', 'function', 'get_weather', '{"city":"Paris"}'],
      ['toolu_2', 'function', 'get_weather', '{"city":"Oslo"}'],
    ])
    expect(calls[1]!.extra_content).toEqual({ google: { thought_signature: 'rsig1.gemini.CiQB0e2Kb' } })
    expect(done.usage?.prompt_tokens).toBe(120)
    expect(done.usage?.completion_tokens).toBe(57)
  })

  it('is parsed by the openai SDK: create({stream:true}) iteration', async () => {
    const { client } = clientFor(encodeAll(RICH, true))
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true })
    let content = ''
    let reasoning = ''
    let finish: string | null = null
    let usage: OpenAI.CompletionUsage | undefined | null
    for await (const chunk of stream) {
      const d = chunk.choices[0]?.delta as (OpenAI.ChatCompletionChunk.Choice.Delta & { reasoning_content?: string }) | undefined
      content += d?.content ?? ''
      reasoning += d?.reasoning_content ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
      if (chunk.usage) usage = chunk.usage
    }
    expect(content).toBe('Checking both cities.')
    expect(reasoning).toBe('The user wants weather.')
    expect(finish).toBe('tool_calls')
    expect(usage?.total_tokens).toBe(177)
  })

  it('drives the SDK runTools loop (tool call turn, then an answer turn)', async () => {
    const turn1 = encodeAll(
      [
        { type: 'start', id: 'r1', model: 'x', created: 1 },
        { type: 'tool-call-start', index: 0, id: 'call_a', name: 'add' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":2,' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '"b":3}' },
        { type: 'tool-call-end', index: 0 },
        { type: 'finish', reason: { unified: 'tool-calls' }, usage: { inputTokens: 5, outputTokens: 5 } },
      ],
      true,
    )
    const turn2 = encodeAll([
      { type: 'start', id: 'r2', model: 'x', created: 2 },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, text: 'It is 5.' },
      { type: 'text-end', index: 0 },
      { type: 'finish', reason: { unified: 'stop', raw: 'end_turn', rawDialect: 'anthropic' }, usage: { inputTokens: 9, outputTokens: 4 } },
    ])
    const { client, requests } = clientFor([turn1, turn2])
    const runner = client.chat.completions.runTools({
      model: 'm',
      stream: true,
      messages: [{ role: 'user', content: 'add 2 and 3' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'add',
            description: 'Adds two numbers',
            parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
            function: (args: { a: number; b: number }) => String(args.a + args.b),
            parse: JSON.parse,
          },
        },
      ],
    })
    expect(await runner.finalContent()).toBe('It is 5.')
    const second = requests[1] as { messages: Array<Record<string, unknown>> }
    expect(second.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_a', content: '5' })
  })

  it('writes an in-band error the SDK raises as an APIError, then nothing', async () => {
    const enc = openaiChatCodec.createStreamEncoder({ model: 'm', includeUsage: true })
    let wire = enc.push({ type: 'start', id: 'e1', model: 'x', created: 3 })
    wire += enc.push({ type: 'text-start', index: 0 })
    wire += enc.push({ type: 'text-delta', index: 0, text: 'Hel' })
    wire += enc.push({ type: 'error', error: new GatewayError('overloaded', 'Overloaded') })
    expect(enc.push({ type: 'text-delta', index: 0, text: 'lo' })).toBe('')
    expect(enc.end()).toBe('')
    const last = parseSSE(wire).at(-1)!
    expect(JSON.parse(last.data)).toEqual({ error: { message: 'Overloaded', type: 'server_error', param: null, code: null } })

    const { client } = clientFor(wire)
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true })
    let got = ''
    await expect(
      (async () => {
        for await (const c of stream) got += c.choices[0]?.delta.content ?? ''
      })(),
    ).rejects.toThrow(/Overloaded/)
    expect(got).toBe('Hel')
  })

  it('echoes its own raw finish reason, maps foreign ones', () => {
    const finishOf = (reason: Extract<IRStreamEvent, { type: 'finish' }>['reason']) => {
      const chunks = parseSSE(encodeAll([{ type: 'start', id: 'i', model: 'm', created: 1 }, { type: 'finish', reason, usage: { inputTokens: 0, outputTokens: 0 } }]))
      return JSON.parse(chunks.at(-2)!.data).choices[0].finish_reason
    }
    expect(finishOf({ unified: 'content-filter', raw: 'stop', rawDialect: 'openai-chat' })).toBe('stop')
    expect(finishOf({ unified: 'length', raw: 'max_tokens', rawDialect: 'anthropic' })).toBe('length')
    expect(finishOf({ unified: 'content-filter', raw: 'SAFETY', rawDialect: 'gemini' })).toBe('content_filter')
    expect(finishOf({ unified: 'error' })).toBe('stop')
  })
})


describe('openai-chat stream round trip: decode → encode → decode', () => {
  for (const file of STREAM_FIXTURES) {
    it(file, async () => {
      const first = decodeAll(fixtureMessages(file))
      const wire = encodeAll(first, true)
      const second = decodeAll(parseSSE(wire))
      const strip = (evs: IRStreamEvent[]) => comparable(evs.filter((e) => e.type !== 'usage' && e.type !== 'finish'))
      expect(strip(second)).toEqual(strip(first))
      const f1 = fold(first).finish!
      const f2 = fold(second).finish!
      expect(f2.usage).toMatchObject(f1.usage)
      // A refusal becomes plain content on re-encode; the wire finish_reason is echoed verbatim.
      expect(f2.reason.raw).toBe(f1.reason.raw)

      // And the SDK assembles the same content and tool calls.
      const { client } = clientFor(wire)
      const done = await client.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).finalChatCompletion()
      const a = fold(first)
      const msg = done.choices[0]!.message
      expect(msg.content ?? '').toBe(a.text)
      expect((msg.tool_calls ?? []).map((t) => (t.type === 'function' ? [t.id, t.function.name, t.function.arguments] : []))).toEqual(
        a.tools.map((t) => [t.id, t.name, t.arguments]),
      )
    })
  }
})
