import { describe, expect, it } from 'vitest'
import Anthropic from '@anthropic-ai/sdk'
import { CLIENT_KEY } from './support/server'
import { TINY_PNG, UPSTREAMS, WEATHER_SCHEMA, useGateway } from './support/setup'
import { SIG } from './support/scenarios'

const gw = useGateway()
const client = () => new Anthropic({ apiKey: CLIENT_KEY, baseURL: gw.server.url, maxRetries: 0 })
const tools: Anthropic.Tool[] = [{ name: 'get_weather', description: 'Weather for a city', input_schema: WEATHER_SCHEMA as any }]

describe.each(UPSTREAMS)('Anthropic SDK → $dialect upstream', ({ prefix, dialect }) => {
  /** The turn after tool calls: the question, the answer as it came, and the tool results in one user turn. */
  const sendResults = (question: string, answer: Anthropic.Message, results: Anthropic.ToolResultBlockParam[], maxTokens: number) =>
    client().messages.create({
      model: `${prefix}-text`,
      max_tokens: maxTokens,
      tools,
      messages: [{ role: 'user', content: question }, { role: 'assistant', content: answer.content }, { role: 'user', content: results }],
    })

  it('text, not streamed, with a system prompt', async () => {
    const r = await client().messages.create({
      model: `${prefix}-text`,
      max_tokens: 256,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Hi' }],
    })
    expect(r.content).toEqual([expect.objectContaining({ type: 'text', text: `Hello from ${dialect}!` })])
    expect(r.stop_reason).toBe('end_turn')
    expect(r.usage.output_tokens).toBe(9)
    expect(r.usage.input_tokens).toBe(21)
    const got = gw.mock.last(dialect)
    if (dialect === 'openai-chat') expect(got.body.messages[0]).toMatchObject({ role: 'system' })
    if (dialect === 'gemini') expect(got.body.systemInstruction.parts[0].text).toBe('Be brief.')
    if (dialect === 'anthropic') expect(got.body.system[0].cache_control).toEqual({ type: 'ephemeral' })
    if (dialect === 'openai-responses') expect(got.body).toMatchObject({ instructions: 'Be brief.', max_output_tokens: 256, store: false })
  })

  it('text, streamed, assembled by MessageStream', async () => {
    const stream = client().messages.stream({ model: `${prefix}-text`, max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] })
    let deltas = ''
    stream.on('text', (t) => (deltas += t))
    const msg = await stream.finalMessage()
    expect(deltas).toBe(`Hello from ${dialect}!`)
    expect(msg.content[0]).toMatchObject({ type: 'text', text: `Hello from ${dialect}!` })
    expect(msg.stop_reason).toBe('end_turn')
    expect(msg.usage.output_tokens).toBe(9)
  })

  it('a tool call, streamed, with the input assembled', async () => {
    const msg = await client()
      .messages.stream({ model: `${prefix}-tools`, max_tokens: 64, tools, messages: [{ role: 'user', content: 'Weather in Paris?' }] })
      .finalMessage()
    expect(msg.stop_reason).toBe('tool_use')
    const use = msg.content.find((b) => b.type === 'tool_use') as Anthropic.ToolUseBlock
    expect(use.name).toBe('get_weather')
    expect(use.input).toEqual({ city: 'Paris', unit: 'celsius' })
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'Let me check.' })
    const got = gw.mock.last(dialect)
    if (dialect === 'openai-responses') {
      expect(got.path).toBe('/openai/v1/responses')
      expect(got.body.stream).toBe(true)
      expect(got.body.tools[0]).toMatchObject({ type: 'function', name: 'get_weather', parameters: { type: 'object' } })
    }
  })

  it('parallel tool calls, then all results in one user turn', async () => {
    const r = await client().messages.create({ model: `${prefix}-parallel`, max_tokens: 64, tools, messages: [{ role: 'user', content: 'Paris and Tokyo?' }] })
    const uses = r.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')
    expect(uses.map((u) => (u.input as any).city)).toEqual(['Paris', 'Tokyo'])
    await sendResults(
      'Paris and Tokyo?',
      r,
      [
        { type: 'tool_result', tool_use_id: uses[0]!.id, content: '18C' },
        { type: 'tool_result', tool_use_id: uses[1]!.id, content: [{ type: 'text', text: '25C' }] },
      ],
      64,
    )
    const got = gw.mock.last(dialect)
    if (dialect === 'openai-chat') {
      const toolMsgs = got.body.messages.filter((m: any) => m.role === 'tool')
      expect(toolMsgs.map((m: any) => [m.tool_call_id, m.content])).toEqual([
        [uses[0]!.id, '18C'],
        [uses[1]!.id, '25C'],
      ])
      const asst = got.body.messages.find((m: any) => m.role === 'assistant')
      expect(asst.tool_calls.map((c: any) => c.id)).toEqual([uses[0]!.id, uses[1]!.id])
    } else if (dialect === 'gemini') {
      const parts = got.body.contents.at(-1).parts
      expect(parts.map((p: any) => p.functionResponse.name)).toEqual(['get_weather', 'get_weather'])
    } else if (dialect === 'openai-responses') {
      const input = got.body.input as any[]
      expect(input.filter((i) => i.type === 'function_call').map((i) => i.call_id)).toEqual([uses[0]!.id, uses[1]!.id])
      expect(input.filter((i) => i.type === 'function_call_output').map((i) => [i.call_id, i.output])).toEqual([
        [uses[0]!.id, '18C'],
        [uses[1]!.id, '25C'],
      ])
    }
  })

  it('an image block reaches the upstream', async () => {
    await client().messages.create({
      model: `${prefix}-text`,
      max_tokens: 64,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: TINY_PNG } },
            { type: 'text', text: 'What is this?' },
          ],
        },
      ],
    })
    const got = gw.mock.last(dialect)
    if (dialect === 'openai-chat') expect(got.body.messages[0].content[0]).toMatchObject({ type: 'image_url', image_url: { url: `data:image/png;base64,${TINY_PNG}` } })
    if (dialect === 'gemini') expect(got.body.contents[0].parts[0]).toEqual({ inlineData: { mimeType: 'image/png', data: TINY_PNG } })
  })

  it('thinking with its signature, carried back on the next turn', async () => {
    const msg = await client()
      .messages.stream({ model: `${prefix}-thinking`, max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'Think' }] })
      .finalMessage()
    const thinking = msg.content.find((b) => b.type === 'thinking') as Anthropic.ThinkingBlock
    expect(thinking.thinking).toBe('The user wants the answer. It is 42.')
    if (dialect !== 'openai-chat') expect(thinking.signature).toContain(SIG(dialect))
    await client().messages.create({
      model: `${prefix}-text`,
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [
        { role: 'user', content: 'Think' },
        { role: 'assistant', content: msg.content },
        { role: 'user', content: 'And now?' },
      ],
    })
    const got = gw.mock.last(dialect)
    if (dialect === 'anthropic') expect(got.body.messages[1].content[0]).toEqual({ type: 'thinking', thinking: thinking.thinking, signature: SIG('anthropic') })
    if (dialect === 'gemini') expect(JSON.stringify(got.body.contents[1])).toContain(SIG('gemini'))
    if (dialect === 'openai-responses') {
      expect(got.body.input[1]).toMatchObject({ type: 'reasoning', id: expect.stringMatching(/^rs_/), encrypted_content: SIG('openai-responses') })
    }
  })

  it('a Gemini-signed tool call keeps its signature through an Anthropic client', async () => {
    const r = await client().messages.create({ model: `${prefix}-thinktool`, max_tokens: 256, tools, messages: [{ role: 'user', content: 'Oslo?' }] })
    const use = r.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')!
    await sendResults('Oslo?', r, [{ type: 'tool_result', tool_use_id: use.id, content: 'cold' }], 256)
    const got = gw.mock.last(dialect)
    if (dialect === 'gemini') {
      const call = got.body.contents[1].parts.find((p: any) => p.functionCall)
      expect(call.thoughtSignature).toBe(SIG('gemini'))
    }
  })

  it('upstream 429 is a RateLimitError with retry-after', async () => {
    const e = await client()
      .messages.create({ model: `${prefix}-e429`, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((x) => x)
    expect(e).toBeInstanceOf(Anthropic.RateLimitError)
    expect(e.headers.get('retry-after')).toBe('7')
    expect(e.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } })
  })

  it('upstream 400 is a BadRequestError', async () => {
    const e = await client()
      .messages.create({ model: `${prefix}-e400`, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((x) => x)
    expect(e).toBeInstanceOf(Anthropic.BadRequestError)
    expect(e.error.error.type).toBe('invalid_request_error')
  })
})

describe('Anthropic SDK: errors at the door', () => {
  it('x-api-key works as well as Bearer, and a bad one is a 401', async () => {
    const viaHeader = new Anthropic({ apiKey: null as any, authToken: null as any, baseURL: gw.server.url, maxRetries: 0, defaultHeaders: { 'x-api-key': CLIENT_KEY } })
    const ok = await viaHeader.messages.create({ model: 'an-text', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
    expect(ok.content[0]).toMatchObject({ text: 'Hello from anthropic!' })
    const bad = new Anthropic({ apiKey: 'wrong', baseURL: gw.server.url, maxRetries: 0 })
    const e = await bad.messages.create({ model: 'an-text', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((x) => x)
    expect(e).toBeInstanceOf(Anthropic.AuthenticationError)
    expect(e.error.error.type).toBe('authentication_error')
  })

  it('models are listed in the Anthropic shape', async () => {
    const page = await client().models.list()
    expect(page.data.map((m) => m.id)).toContain('smart')
    expect(page.data[0]).toMatchObject({ type: 'model' })
  })
})
