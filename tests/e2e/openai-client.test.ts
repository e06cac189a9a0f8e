import { describe, expect, it } from 'vitest'
import OpenAI from 'openai'
import { CLIENT_KEY } from './support/server'
import { TINY_PNG, UPSTREAMS, WEATHER_SCHEMA, useGateway } from './support/setup'
import { SIG } from './support/scenarios'

const gw = useGateway()
const client = () => new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${gw.server.url}/v1`, maxRetries: 0 })
const tools: OpenAI.Chat.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: WEATHER_SCHEMA } },
]

describe.each(UPSTREAMS)('OpenAI SDK → $dialect upstream', ({ prefix, dialect }) => {
  it('text, not streamed', async () => {
    const r = await client().chat.completions.create({
      model: `${prefix}-text`,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0.5,
      max_tokens: 100,
      stop: ['END'],
    })
    expect(r.choices[0]!.message.content).toBe(`Hello from ${dialect}!`)
    expect(r.choices[0]!.finish_reason).toBe('stop')
    expect(r.usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 9, total_tokens: 30 })
    expect(r.model).toBe(`${prefix}-text`)
    const got = gw.mock.last(dialect)
    if (dialect === 'anthropic') {
      expect(JSON.stringify(got.body.system)).toContain('Be brief.')
      expect(got.body.max_tokens).toBe(100)
      expect(got.body.stop_sequences).toEqual(['END'])
      expect(got.headers['x-api-key']).toBe('sk-ant-upstream-1')
    } else if (dialect === 'gemini') {
      expect(got.body.systemInstruction.parts[0].text).toBe('Be brief.')
      expect(got.body.generationConfig).toMatchObject({ maxOutputTokens: 100, temperature: 0.5, stopSequences: ['END'] })
      expect(got.headers['x-goog-api-key']).toBe('AIza-upstream-1')
    } else if (dialect === 'openai-responses') {
      // system → instructions, messages → input items, stateless; stop has no Responses field
      expect(got.path).toBe('/openai/v1/responses')
      expect(got.body).toMatchObject({ instructions: 'Be brief.', max_output_tokens: 100, temperature: 0.5, store: false })
      expect(got.body.input).toEqual([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }])
      expect(got.body.stop).toBeUndefined()
      expect(got.headers.authorization).toBe('Bearer sk-upstream-responses-1')
    } else {
      expect(got.body.messages[0]).toEqual({ role: 'system', content: 'Be brief.' })
      expect(got.headers.authorization).toMatch(/^Bearer sk-upstream-openai-[12]$/)
    }
  })

  it('text, streamed, with usage exactly as asked', async () => {
    const stream = await client().chat.completions.create({
      model: `${prefix}-text`,
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    let text = ''
    let usage: OpenAI.CompletionUsage | undefined | null
    let finish: string | null | undefined
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
      if (chunk.usage) usage = chunk.usage
    }
    expect(text).toBe(`Hello from ${dialect}!`)
    expect(finish).toBe('stop')
    expect(usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 9 })

    const noUsage = await client().chat.completions.create({ model: `${prefix}-text`, messages: [{ role: 'user', content: 'Hi' }], stream: true })
    let sawUsage = false
    for await (const chunk of noUsage) if (chunk.usage) sawUsage = true
    if (dialect !== 'openai-chat') expect(sawUsage).toBe(false) // converted: honoured exactly as asked
  })

  it('a tool call, streamed, assembled by the SDK helper', async () => {
    const runner = client().chat.completions.stream({ model: `${prefix}-tools`, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools })
    const final = await runner.finalChatCompletion()
    const msg = final.choices[0]!.message
    expect(msg.content).toBe('Let me check.')
    expect(msg.tool_calls).toHaveLength(1)
    const call = msg.tool_calls![0]! as OpenAI.Chat.ChatCompletionMessageFunctionToolCall
    expect(call.function.name).toBe('get_weather')
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris', unit: 'celsius' })
    expect(call.id).toBeTruthy()
    expect(final.choices[0]!.finish_reason).toBe('tool_calls')
    const got = gw.mock.last(dialect)
    if (dialect === 'gemini') {
      const params = got.body.tools[0].functionDeclarations[0].parameters
      const text = JSON.stringify(params)
      expect(text).not.toContain('$schema')
      expect(text).not.toContain('additionalProperties')
      expect(text).not.toContain('$ref')
      expect(text).not.toContain('$defs')
      expect(JSON.stringify(params.properties.where)).toContain('lat')
    } else if (dialect === 'anthropic') {
      expect(got.body.tools[0]).toMatchObject({ name: 'get_weather', input_schema: { type: 'object' } })
    } else if (dialect === 'openai-responses') {
      // not strict unless the client said so (the Responses API would otherwise enforce strict schemas)
      expect(got.body.tools).toEqual([{ type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: WEATHER_SCHEMA, strict: false }])
      expect(got.body.stream).toBe(true)
    }
  })

  it('parallel tool calls, not streamed, then the results go back', async () => {
    const r = await client().chat.completions.create({ model: `${prefix}-parallel`, messages: [{ role: 'user', content: 'Paris and Tokyo?' }], tools })
    const calls = r.choices[0]!.message.tool_calls as OpenAI.Chat.ChatCompletionMessageFunctionToolCall[]
    expect(calls.map((c) => JSON.parse(c.function.arguments).city)).toEqual(['Paris', 'Tokyo'])
    expect(new Set(calls.map((c) => c.id)).size).toBe(2)

    await client().chat.completions.create({
      model: `${prefix}-text`,
      messages: [
        { role: 'user', content: 'Paris and Tokyo?' },
        r.choices[0]!.message as OpenAI.Chat.ChatCompletionMessageParam,
        { role: 'tool', tool_call_id: calls[0]!.id, content: '{"temp":18}' },
        { role: 'tool', tool_call_id: calls[1]!.id, content: '{"temp":25}' },
      ],
      tools,
    })
    const got = gw.mock.last(dialect)
    if (dialect === 'anthropic') {
      const last = got.body.messages.at(-1)
      expect(last.role).toBe('user')
      expect(last.content.map((b: any) => [b.type, b.tool_use_id])).toEqual([
        ['tool_result', calls[0]!.id],
        ['tool_result', calls[1]!.id],
      ])
    } else if (dialect === 'gemini') {
      const last = got.body.contents.at(-1)
      expect(last.parts.map((p: any) => p.functionResponse?.name)).toEqual(['get_weather', 'get_weather'])
      expect(last.parts[0].functionResponse.response).toEqual({ temp: 18 })
    } else if (dialect === 'openai-responses') {
      const input = got.body.input as any[]
      expect(input.map((i) => i.type)).toEqual(['message', 'function_call', 'function_call', 'function_call_output', 'function_call_output'])
      expect(input.slice(1, 3).map((i) => i.call_id)).toEqual([calls[0]!.id, calls[1]!.id])
      expect(input.slice(3)).toEqual([
        { type: 'function_call_output', call_id: calls[0]!.id, output: '{"temp":18}' },
        { type: 'function_call_output', call_id: calls[1]!.id, output: '{"temp":25}' },
      ])
    } else {
      expect(got.body.messages.slice(-2).map((m: any) => m.tool_call_id)).toEqual([calls[0]!.id, calls[1]!.id])
    }
  })

  it('an image as a data URL reaches the upstream as inline data', async () => {
    await client().chat.completions.create({
      model: `${prefix}-text`,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${TINY_PNG}` } },
          ],
        },
      ],
    })
    const got = gw.mock.last(dialect)
    const s = JSON.stringify(got.body)
    expect(s).toContain(TINY_PNG)
    if (dialect === 'anthropic') expect(got.body.messages[0].content[1]).toEqual({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: TINY_PNG } })
    if (dialect === 'gemini') expect(got.body.contents[0].parts[1]).toEqual({ inlineData: { mimeType: 'image/png', data: TINY_PNG } })
    if (dialect === 'openai-responses') {
      expect(got.body.input[0].content[1]).toEqual({ type: 'input_image', image_url: `data:image/png;base64,${TINY_PNG}`, detail: 'auto' })
    }
  })

  it('reasoning comes back and its signature survives the next turn', async () => {
    const r = await client().chat.completions.create({ model: `${prefix}-thinking`, messages: [{ role: 'user', content: 'Think' }], reasoning_effort: 'high' })
    const msg = r.choices[0]!.message as any
    expect(msg.content).toBe('The answer is 42.')
    expect(msg.reasoning_content).toBe('The user wants the answer. It is 42.')
    expect(r.usage?.completion_tokens_details?.reasoning_tokens).toBe(25)
    // The client echoes the assistant message back: the signature must reach the same vendor again.
    await client().chat.completions.create({
      model: `${prefix}-text`,
      messages: [{ role: 'user', content: 'Think' }, msg, { role: 'user', content: 'And now?' }],
    })
    const got = gw.mock.last(dialect)
    if (dialect !== 'openai-chat') expect(JSON.stringify(got.body)).toContain(SIG(dialect))
    if (dialect === 'openai-responses') {
      // the reasoning item goes back whole: the upstream's item id and its encrypted_content verbatim
      expect(got.body.input[1]).toMatchObject({ type: 'reasoning', id: expect.stringMatching(/^rs_/), encrypted_content: SIG(dialect) })
      expect(got.body.include).toEqual(['reasoning.encrypted_content'])
    }
  })

  it('upstream 429 stays a 429 with retry-after, in the OpenAI shape', async () => {
    const e = await client()
      .chat.completions.create({ model: `${prefix}-e429`, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((x) => x)
    expect(e).toBeInstanceOf(OpenAI.RateLimitError)
    expect(e.status).toBe(429)
    expect(e.headers.get('retry-after')).toBe('7')
    expect(e.headers.get('x-request-id')).toMatch(/^req_/)
    expect(e.error?.message ?? e.message).toContain('e429')
  })

  it('a stream that dies midway ends with an in-band error', async () => {
    const stream = await client().chat.completions.create({ model: `${prefix}-midstream`, messages: [{ role: 'user', content: 'Hi' }], stream: true })
    const err = await (async () => {
      for await (const _chunk of stream) {
        /* read until the stream breaks */
      }
    })().catch((x) => x)
    expect(err).toBeInstanceOf(Error)
    expect(String(err.message)).toMatch(/unreachable|reset|aborted|terminated|socket/i)
  })
})

describe('OpenAI SDK: errors at the door', () => {
  it('a wrong key is a 401 in the OpenAI shape', async () => {
    const bad = new OpenAI({ apiKey: 'nope', baseURL: `${gw.server.url}/v1`, maxRetries: 0 })
    const e = await bad.chat.completions.create({ model: 'oa-text', messages: [{ role: 'user', content: 'x' }] }).catch((x) => x)
    expect(e).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(e.error).toMatchObject({ type: 'authentication_error' })
  })

  it('an unknown model is a 404', async () => {
    const e = await client().chat.completions.create({ model: 'nobody-serves-this', messages: [{ role: 'user', content: 'x' }] }).catch((x) => x)
    expect(e).toBeInstanceOf(OpenAI.NotFoundError)
    expect(e.message).toContain('nobody-serves-this')
  })

  it('a forced provider skips routing', async () => {
    const forced = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${gw.server.url}/v1/mock-anthropic`, maxRetries: 0 })
    const r = await forced.chat.completions.create({ model: 'zz-text', messages: [{ role: 'user', content: 'x' }] })
    expect(r.choices[0]!.message.content).toBe('Hello from anthropic!')
    expect(gw.mock.last().body.model).toBe('zz-text')
  })

  it('models are listed in the OpenAI shape', async () => {
    const list = await client().models.list()
    expect(list.data.map((m) => m.id)).toContain('smart')
  })

  it('a model entry fails over to its fallback when the first target errs', async () => {
    const r = await client().chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'x' }] })
    expect(r.choices[0]!.message.content).toBe('Hello from gemini!')
  })
})
