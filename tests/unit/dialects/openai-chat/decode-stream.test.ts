import { describe, expect, it } from 'vitest'
import * as openaiChatCodec from '../../../../server/gateway/dialects/openai-chat'
import { GatewayError } from '../../../../server/gateway/errors'
import { fold, decodeAll, fixtureMessages, parseSSE, STREAM_FIXTURES } from './helpers'

interface Expect {
  text?: string
  textStarts?: string
  reasoningStarts?: string
  tools?: Array<{ id: string; name: string; arguments: string }>
  unified: string
  raw?: string
  usage: Record<string, number>
}

const CASES: Record<string, Expect> = {
  'openai-chat-sse/openai-python-173417d55340.sse': {
    text: "I'm sorry, I can't assist with that request.",
    unified: 'content-filter', // a refusal ending with 'stop'
    raw: 'stop',
    usage: { inputTokens: 79, outputTokens: 11, reasoningTokens: 0 },
  },
  'openai-chat-sse/openai-python-2018feb66ae1.sse': {
    text: '',
    tools: [{ id: 'call_4XzlGBLtUe9dy3GVNV4jhq7h', name: 'get_weather', arguments: '{"city":"New York City"}' }],
    unified: 'tool-calls',
    raw: 'tool_calls',
    usage: { inputTokens: 44, outputTokens: 16 },
  },
  'openai-chat-sse/openai-python-4cc50a6135d2.sse': {
    text: '{"',
    unified: 'length',
    raw: 'length',
    usage: { inputTokens: 79, outputTokens: 1 },
  },
  'openai-chat-sse/openai-python-569c877e6942.sse': {
    text: "I'm very sorry, but I can't assist with that.",
    unified: 'content-filter',
    raw: 'stop',
    usage: { inputTokens: 79, outputTokens: 12 },
  },
  'openai-chat-sse/openai-python-7e5ea4d12e7c.sse': {
    text: '{"city":"San Francisco","temperature":61,"units":"f"}',
    unified: 'stop',
    raw: 'stop',
    usage: { inputTokens: 79, outputTokens: 14 },
  },
  'openai-chat-sse/openai-python-83b060bae42e.sse': { text: 'Foo!', unified: 'stop', raw: 'stop', usage: { inputTokens: 9, outputTokens: 2 } },
  'openai-chat-sse/openai-python-a247c49c5fcd.sse': {
    text: '',
    tools: [{ id: 'call_CTf1nWJLqSeRgDqaCG27xZ74', name: 'get_weather', arguments: '{"city":"San Francisco","state":"CA"}' }],
    unified: 'tool-calls',
    raw: 'tool_calls',
    usage: { inputTokens: 48, outputTokens: 19 },
  },
  // n=3: only choice 0 is read; usage covers all three.
  'openai-chat-sse/openai-python-a491adda08c3.sse': {
    text: '{"city":"San Francisco","temperature":65,"units":"f"}',
    unified: 'stop',
    raw: 'stop',
    usage: { inputTokens: 79, outputTokens: 42 },
  },
  'openai-chat-sse/openai-python-c6aa7e397b71.sse': {
    text: '',
    tools: [{ id: 'call_c91SqDXlYFuETYv8mUHzz6pp', name: 'GetWeatherArgs', arguments: '{"city":"Edinburgh","country":"UK","units":"c"}' }],
    unified: 'tool-calls',
    raw: 'tool_calls',
    usage: { inputTokens: 76, outputTokens: 24 },
  },
  'openai-chat-sse/openai-python-d61558011839.sse': {
    textStarts: '\n  {\n    "location": "San Francisco, CA",',
    unified: 'stop',
    raw: 'stop',
    usage: { inputTokens: 19, outputTokens: 177 },
  },
  'openai-chat-sse/openai-python-e2aad469b71d.sse': {
    text: "I'm unable to provide real-time weather updates. To get the current weather in San Francisco, I recommend checking a reliable weather website or a weather app.",
    unified: 'stop',
    raw: 'stop',
    usage: { inputTokens: 14, outputTokens: 30 },
  },
  'openai-chat-sse/openai-python-f82268f2fefd.sse': {
    text: '',
    tools: [
      { id: 'call_JMW1whyEaYG438VE1OIflxA2', name: 'GetWeatherArgs', arguments: '{"city": "Edinburgh", "country": "GB", "units": "c"}' },
      { id: 'call_DNYTawLBoN8fj3KN6qU9N1Ou', name: 'get_stock_price', arguments: '{"ticker": "AAPL", "exchange": "NASDAQ"}' },
    ],
    unified: 'tool-calls',
    raw: 'tool_calls',
    usage: { inputTokens: 149, outputTokens: 60 },
  },
  'openai-chat-chunks/vercel-openai-text.chunks.txt': {
    textStarts: '**Holiday Name:** Harmony Day\n\n**Date:** Celebrated annually on the first Saturday of May',
    unified: 'stop',
    raw: 'stop',
    usage: { inputTokens: 16, outputTokens: 300, cacheReadTokens: 0, reasoningTokens: 0 },
  },
  // Tool call at wire index 1, no usage at all.
  'openai-compatible-chat/vercel-anthropic-fallback-tool-call.sse': {
    text: 'Reading it.',
    tools: [{ id: 'toolu_sanitized', name: 'read_file', arguments: '{"path": "a.txt"}' }],
    unified: 'tool-calls',
    raw: 'tool_calls',
    usage: { inputTokens: 0, outputTokens: 0 },
  },
  'openai-compatible-chat/vercel-deepseek-reasoning.chunks.txt': {
    text: 'The word "strawberry" contains three "r"s.',
    reasoningStarts: 'We need to count the number of the letter "r" in the word "strawberry".',
    unified: 'stop',
    raw: 'stop',
    usage: { inputTokens: 18, outputTokens: 219, cacheReadTokens: 0, reasoningTokens: 205 },
  },
  'openai-compatible-chat/vercel-deepseek-tool-call.chunks.txt': {
    text: '',
    reasoningStarts: 'The user is asking for the weather in San Francisco.',
    tools: [{ id: 'call_00_ioIn7yN9p1ZOMNpDLwd4MgAF', name: 'weather', arguments: '{"location": "San Francisco"}' }],
    unified: 'tool-calls',
    raw: 'tool_calls',
    usage: { inputTokens: 339, outputTokens: 83, cacheReadTokens: 320, reasoningTokens: 39 },
  },
  // Whole call in one chunk; usage only in x_groq / top-level with extra timing fields.
  'openai-compatible-chat/vercel-groq-tool-call.chunks.txt': {
    text: '',
    tools: [{ id: 'tk85n1k4m', name: 'weather', arguments: '{}' }],
    unified: 'tool-calls',
    raw: 'tool_calls',
    usage: { inputTokens: 210, outputTokens: 15 },
  },
  // xAI: reasoning tokens outside completion_tokens (total 354 = 12 + 2 + 340), no finish_reason key until the end.
  'openai-compatible-chat/vercel-xai-text.chunks.txt': {
    text: 'Grok',
    reasoningStarts: 'First, the user said: "Say a single word."',
    unified: 'stop',
    raw: 'stop',
    usage: { inputTokens: 12, outputTokens: 342, cacheReadTokens: 11, reasoningTokens: 340 },
  },
  'openai-compatible-chat/vercel-xai-tool-call.chunks.txt': {
    text: '',
    reasoningStarts: 'First, the user is asking about the weather in San Francisco.',
    tools: [{ id: 'call_79382389', name: 'weather', arguments: '{"location":"San Francisco"}' }],
    unified: 'tool-calls',
    raw: 'tool_calls',
    usage: { inputTokens: 307, outputTokens: 253, cacheReadTokens: 306, reasoningTokens: 227 },
  },
}


describe('openai-chat stream decoder: recorded traffic', () => {
  it('has an expectation for every fixture', () => {
    expect([...STREAM_FIXTURES].sort()).toEqual(Object.keys(CASES).sort())
  })

  for (const file of STREAM_FIXTURES) {
    it(file, () => {
      const exp = CASES[file]!
      const events = decodeAll(fixtureMessages(file))
      const a = fold(events)
      if (exp.text !== undefined) expect(a.text).toBe(exp.text)
      if (exp.textStarts) expect(a.text.startsWith(exp.textStarts)).toBe(true)
      if (exp.reasoningStarts) expect(a.reasoning.startsWith(exp.reasoningStarts)).toBe(true)
      else expect(a.reasoning).toBe('')
      expect(a.tools.map(({ id, name, arguments: args }) => ({ id, name, arguments: args }))).toEqual(exp.tools ?? [])
      for (const t of a.tools) expect(() => JSON.parse(t.arguments)).not.toThrow()
      expect(a.finish?.reason.unified).toBe(exp.unified)
      expect(a.finish?.reason.raw).toBe(exp.raw)
      expect(a.finish?.usage).toMatchObject(exp.usage)
      const start = events[0]
      expect(start?.type).toBe('start')
    })
  }

  it('reads start id/model/created from the first chunk', () => {
    const events = decodeAll(fixtureMessages('openai-chat-sse/openai-python-83b060bae42e.sse'))
    expect(events[0]).toEqual({ type: 'start', id: 'chatcmpl-ABfw5EzoqmfXjnnsXY7Yd8OC6tb3c', model: 'gpt-4o-2024-08-06', created: 1727346173 })
  })

  it('orders blocks reasoning → text, and reasoning → tool call', () => {
    const kinds = (f: string) =>
      decodeAll(fixtureMessages(f))
        .filter((e) => e.type.endsWith('-start') && e.type !== 'start')
        .map((e) => e.type)
    expect(kinds('openai-compatible-chat/vercel-deepseek-reasoning.chunks.txt')).toEqual(['reasoning-start', 'text-start'])
    expect(kinds('openai-compatible-chat/vercel-xai-tool-call.chunks.txt')).toEqual(['reasoning-start', 'tool-call-start'])
    expect(kinds('openai-chat-sse/openai-python-f82268f2fefd.sse')).toEqual(['tool-call-start', 'tool-call-start'])
  })

  it('emits usage events and holds finish until [DONE]', () => {
    const dec = openaiChatCodec.createStreamDecoder()
    const msgs = fixtureMessages('openai-chat-sse/openai-python-83b060bae42e.sse')
    const finishChunk = msgs.findIndex((m) => m.data.includes('"finish_reason":"stop"'))
    const before = msgs.slice(0, finishChunk + 1).flatMap((m) => dec.push(m))
    expect(before.some((e) => e.type === 'finish')).toBe(false)
    const usageEvents = dec.push(msgs[finishChunk + 1]!)
    expect(usageEvents).toEqual([{ type: 'usage', usage: { inputTokens: 9, outputTokens: 2, reasoningTokens: 0 } }])
    const done = dec.push(msgs[finishChunk + 2]!)
    expect(done.map((e) => e.type)).toEqual(['text-end', 'finish'])
    expect(dec.end()).toEqual([])
  })

  it('turns an in-band error into an error event and stops', () => {
    const dec = openaiChatCodec.createStreamDecoder()
    const pre = dec.push({ data: '{"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi"}}]}' })
    expect(pre.map((e) => e.type)).toEqual(['start', 'text-start', 'text-delta'])
    const evs = dec.push({ data: '{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}' })
    expect(evs).toHaveLength(1)
    const ev = evs[0]!
    expect(ev.type).toBe('error')
    if (ev.type !== 'error') return
    expect(GatewayError.is(ev.error)).toBe(true)
    expect(ev.error.kind).toBe('rate_limit')
    expect(ev.error.status).toBe(429)
    expect(ev.error.message).toBe('Rate limit reached')
    expect(dec.push({ data: '[DONE]' })).toEqual([])
    expect(dec.end()).toEqual([])
  })

  it('an unknown in-band error is a 500 upstream error', () => {
    const evs = decodeAll(parseSSE('data: {"error":{"message":"boom","type":"server_error","code":null}}\n\n'))
    const ev = evs[0]!
    if (ev.type !== 'error') throw new Error('expected error')
    expect(ev.error.kind).toBe('upstream_error')
    expect(ev.error.status).toBe(500)
  })

  it('handles repeated ids, missing indexes and a Gemini signature on a tool call', () => {
    const c = (delta: unknown, extra = '') =>
      ({ data: `{"id":"g","object":"chat.completion.chunk","created":2,"model":"gemini-3-pro","choices":[{"index":0,"delta":${JSON.stringify(delta)}${extra}}]}` })
    const events = decodeAll([
      c({ role: 'assistant', tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{"x":' } , extra_content: { google: { thought_signature: 'SIG_A' } } }] }),
      c({ tool_calls: [{ id: 'a', function: { arguments: '1}' } }] }),
      c({ tool_calls: [{ id: 'b', type: 'function', function: { name: 'g', arguments: '{}' } }] }),
      c({}, ',"finish_reason":"stop"'),
      { data: '[DONE]' },
    ])
    const a = fold(events)
    expect(a.tools).toEqual([
      { id: 'a', name: 'f', arguments: '{"x":1}', signature: { origin: 'gemini', value: 'SIG_A' } },
      { id: 'b', name: 'g', arguments: '{}' },
    ])
    // 'stop' with tool calls still means the tools must run.
    expect(a.finish?.reason).toEqual({ unified: 'tool-calls', raw: 'stop', rawDialect: 'openai-chat' })
  })

  it('an empty stream still yields start and finish', () => {
    const events = decodeAll([])
    expect(events.map((e) => e.type)).toEqual(['start', 'finish'])
    const f = events[1]!
    if (f.type === 'finish') expect(f.reason.unified).toBe('stop')
  })
})
