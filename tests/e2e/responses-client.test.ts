import { describe, expect, it } from 'vitest'
import OpenAI from 'openai'
import { CLIENT_KEY } from './support/server'
import { TINY_PNG, UPSTREAMS, WEATHER_SCHEMA, useGateway } from './support/setup'
import { SIG } from './support/scenarios'
import { CODEX_TURN } from '../helpers/codex'

/**
 * The official openai SDK's Responses API (`client.responses.*`, what Codex CLI and the Vercel AI SDK
 * speak) against every upstream family through the gateway's `POST /v1/responses`.
 */
const gw = useGateway()
const client = () => new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${gw.server.url}/v1`, maxRetries: 0 })
const tools: OpenAI.Responses.FunctionTool[] = [
  { type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: WEATHER_SCHEMA, strict: false },
]
type Item = OpenAI.Responses.ResponseInputItem
const user = (text: string): Item => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] })
/** The text of the message items (finalResponse() of a plain stream has no `output_text` getter). */
const textOf = (r: OpenAI.Responses.Response) =>
  r.output.flatMap((o) => (o.type === 'message' ? o.content : [])).map((c) => (c.type === 'output_text' ? c.text : '')).join('')
const calls = (r: OpenAI.Responses.Response) => r.output.filter((o): o is OpenAI.Responses.ResponseFunctionToolCall => o.type === 'function_call')

describe.each(UPSTREAMS)('OpenAI SDK (Responses) → $dialect upstream', ({ prefix, dialect }) => {
  it('text, not streamed, with instructions', async () => {
    const r = await client().responses.create({
      model: `${prefix}-text`,
      instructions: 'Be brief.',
      input: 'Hi',
      temperature: 0.5,
      max_output_tokens: 100,
      store: false,
    })
    expect(r.object).toBe('response')
    expect(r.id).toMatch(/^resp_/)
    expect(r.status).toBe('completed')
    expect(r.output_text).toBe(`Hello from ${dialect}!`)
    expect(r.output).toEqual([expect.objectContaining({ type: 'message', role: 'assistant', status: 'completed' })])
    expect(r.usage).toMatchObject({ input_tokens: 21, output_tokens: 9, total_tokens: 30 })
    expect(r.model).toBe(`${prefix}-text`)
    const got = gw.mock.last(dialect)
    if (dialect === 'anthropic') {
      expect(JSON.stringify(got.body.system)).toContain('Be brief.')
      expect(got.body).toMatchObject({ max_tokens: 100, temperature: 0.5, messages: [{ role: 'user', content: 'Hi' }] })
    } else if (dialect === 'gemini') {
      expect(got.body.systemInstruction.parts[0].text).toBe('Be brief.')
      expect(got.body.generationConfig).toMatchObject({ maxOutputTokens: 100, temperature: 0.5 })
    } else if (dialect === 'openai-chat') {
      expect(got.path).toBe('/openai/v1/chat/completions')
      expect(got.body.messages).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }])
      expect(got.body.max_tokens).toBe(100)
    } else {
      // same dialect: the body goes through as the client wrote it
      expect(got.path).toBe('/openai/v1/responses')
      expect(got.headers.authorization).toBe('Bearer sk-upstream-responses-1')
      expect(got.body).toEqual({ model: `${prefix}-text`, instructions: 'Be brief.', input: 'Hi', max_output_tokens: 100, temperature: 0.5, store: false })
    }
  })

  it('text, streamed with stream: true (Responses SSE events)', async () => {
    const stream = await client().responses.create({ model: `${prefix}-text`, input: 'Hi', stream: true })
    const types: string[] = []
    const seqs: number[] = []
    let text = ''
    let completed: OpenAI.Responses.Response | undefined
    for await (const ev of stream) {
      types.push(ev.type)
      seqs.push(ev.sequence_number)
      if (ev.type === 'response.output_text.delta') text += ev.delta
      if (ev.type === 'response.completed') completed = ev.response
    }
    expect(text).toBe(`Hello from ${dialect}!`)
    expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress'])
    expect(types.at(-1)).toBe('response.completed')
    expect(types).toContain('response.output_item.added')
    expect(types).toContain('response.output_text.done')
    expect(seqs).toEqual(seqs.map((_, i) => i))
    expect(completed?.status).toBe('completed')
    expect(completed?.usage).toMatchObject({ input_tokens: 21, output_tokens: 9 })
    expect(textOf(completed!)).toBe(`Hello from ${dialect}!`)
    const got = gw.mock.last(dialect)
    if (dialect === 'openai-responses') expect(got.body.stream).toBe(true)
    if (dialect === 'anthropic') expect(got.body.stream).toBe(true)
    if (dialect === 'gemini') expect(got.path).toContain(':streamGenerateContent')
  })

  it('a function call, streamed, assembled by responses.stream().finalResponse()', async () => {
    const s = client().responses.stream({ model: `${prefix}-tools`, input: 'Weather in Paris?', tools })
    let args = ''
    s.on('response.function_call_arguments.delta', (e) => (args += e.delta))
    const final = await s.finalResponse()
    expect(textOf(final)).toBe('Let me check.')
    const [call, ...more] = calls(final)
    expect(more).toEqual([])
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', status: 'completed' })
    expect(call!.call_id).toBeTruthy()
    expect(JSON.parse(call!.arguments)).toEqual({ city: 'Paris', unit: 'celsius' })
    expect(JSON.parse(args)).toEqual({ city: 'Paris', unit: 'celsius' })
    expect(final.status).toBe('completed')
    const got = gw.mock.last(dialect)
    if (dialect === 'gemini') {
      const text = JSON.stringify(got.body.tools[0].functionDeclarations[0].parameters)
      for (const k of ['$schema', 'additionalProperties', '$ref', '$defs']) expect(text).not.toContain(k)
    } else if (dialect === 'anthropic') {
      expect(got.body.tools[0]).toMatchObject({ name: 'get_weather', input_schema: { type: 'object' } })
    } else if (dialect === 'openai-chat') {
      expect(got.body.tools[0]).toMatchObject({ type: 'function', function: { name: 'get_weather', parameters: WEATHER_SCHEMA } })
    } else {
      // flat function tools, as the Responses API wants them
      expect(got.body.tools).toEqual([{ type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: WEATHER_SCHEMA, strict: false }])
    }
  })

  it('parallel function calls, not streamed, then the function_call_output items go back', async () => {
    const r = await client().responses.create({ model: `${prefix}-parallel`, input: 'Paris and Tokyo?', tools })
    const fc = calls(r)
    expect(fc.map((c) => JSON.parse(c.arguments).city)).toEqual(['Paris', 'Tokyo'])
    expect(new Set(fc.map((c) => c.call_id)).size).toBe(2)
    expect(fc.every((c) => c.name === 'get_weather' && c.id?.startsWith('fc_'))).toBe(true)

    const back = await client().responses.create({
      model: `${prefix}-text`,
      input: [
        user('Paris and Tokyo?'),
        ...(r.output as Item[]),
        { type: 'function_call_output', call_id: fc[0]!.call_id, output: '{"temp":18}' },
        { type: 'function_call_output', call_id: fc[1]!.call_id, output: '{"temp":25}' },
      ],
      tools,
    })
    expect(back.output_text).toBe(`Hello from ${dialect}!`)
    const got = gw.mock.last(dialect)
    const ids = fc.map((c) => c.call_id)
    if (dialect === 'anthropic') {
      // both results in ONE user message, after the assistant's tool_use blocks
      const last = got.body.messages.at(-1)
      expect(last.role).toBe('user')
      expect(last.content.map((b: any) => [b.type, b.tool_use_id, b.content])).toEqual([
        ['tool_result', ids[0], '{"temp":18}'],
        ['tool_result', ids[1], '{"temp":25}'],
      ])
      expect(got.body.messages.at(-2).content.map((b: any) => [b.type, b.id])).toEqual([
        ['tool_use', ids[0]],
        ['tool_use', ids[1]],
      ])
    } else if (dialect === 'gemini') {
      const last = got.body.contents.at(-1)
      expect(last.parts.map((p: any) => p.functionResponse?.name)).toEqual(['get_weather', 'get_weather'])
      expect(last.parts.map((p: any) => p.functionResponse.response)).toEqual([{ temp: 18 }, { temp: 25 }])
      expect(got.body.contents.at(-2).parts.map((p: any) => p.functionCall?.args)).toEqual([{ city: 'Paris' }, { city: 'Tokyo' }])
    } else if (dialect === 'openai-chat') {
      expect(got.body.messages.at(-3).tool_calls.map((c: any) => c.id)).toEqual(ids)
      expect(got.body.messages.slice(-2)).toEqual([
        { role: 'tool', tool_call_id: ids[0], content: '{"temp":18}' },
        { role: 'tool', tool_call_id: ids[1], content: '{"temp":25}' },
      ])
    } else {
      const input = got.body.input as any[]
      expect(input.map((i) => i.type)).toEqual(['message', 'function_call', 'function_call', 'function_call_output', 'function_call_output'])
      expect(input.slice(1, 3).map((i) => [i.call_id, i.name, JSON.parse(i.arguments).city])).toEqual([
        [ids[0], 'get_weather', 'Paris'],
        [ids[1], 'get_weather', 'Tokyo'],
      ])
      expect(input.slice(3)).toEqual([
        { type: 'function_call_output', call_id: ids[0], output: '{"temp":18}' },
        { type: 'function_call_output', call_id: ids[1], output: '{"temp":25}' },
      ])
    }
  })

  it('parallel function calls, streamed: one output item per call', async () => {
    const stream = await client().responses.create({ model: `${prefix}-parallel`, input: 'Paris and Tokyo?', tools, stream: true })
    const done: OpenAI.Responses.ResponseFunctionToolCall[] = []
    for await (const ev of stream) if (ev.type === 'response.output_item.done' && ev.item.type === 'function_call') done.push(ev.item)
    expect(done.map((c) => [c.name, JSON.parse(c.arguments).city])).toEqual([
      ['get_weather', 'Paris'],
      ['get_weather', 'Tokyo'],
    ])
    expect(new Set(done.map((c) => c.call_id)).size).toBe(2)
  })

  it('an input_image data URL reaches the upstream', async () => {
    await client().responses.create({
      model: `${prefix}-text`,
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is this?' },
            { type: 'input_image', image_url: `data:image/png;base64,${TINY_PNG}`, detail: 'auto' },
          ],
        },
      ],
    })
    const got = gw.mock.last(dialect)
    expect(JSON.stringify(got.body)).toContain(TINY_PNG)
    if (dialect === 'anthropic') expect(got.body.messages[0].content[1]).toEqual({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: TINY_PNG } })
    if (dialect === 'gemini') expect(got.body.contents[0].parts[1]).toEqual({ inlineData: { mimeType: 'image/png', data: TINY_PNG } })
    if (dialect === 'openai-chat') expect(got.body.messages[0].content[1]).toMatchObject({ type: 'image_url', image_url: { url: `data:image/png;base64,${TINY_PNG}` } })
    if (dialect === 'openai-responses') {
      expect(got.body.input[0].content[1]).toEqual({ type: 'input_image', image_url: `data:image/png;base64,${TINY_PNG}`, detail: 'auto' })
    }
  })

  it.each([false, true])('reasoning comes back with encrypted_content and returns to the same vendor (streamed: %s)', async (streamed) => {
    const ask = { model: `${prefix}-thinking`, input: 'Think', reasoning: { effort: 'high' as const }, include: ['reasoning.encrypted_content' as const], store: false }
    const r: OpenAI.Responses.Response = streamed ? await client().responses.stream(ask).finalResponse() : await client().responses.create(ask)
    expect(textOf(r)).toBe('The answer is 42.')
    const reasoning = r.output.find((o): o is OpenAI.Responses.ResponseReasoningItem => o.type === 'reasoning')!
    expect(reasoning.id).toMatch(/^rs_/)
    expect(reasoning.summary).toEqual([{ type: 'summary_text', text: 'The user wants the answer. It is 42.' }])
    expect(r.usage?.output_tokens_details.reasoning_tokens).toBe(25)
    if (dialect !== 'openai-chat') expect(reasoning.encrypted_content).toContain(SIG(dialect))
    if (dialect === 'anthropic' || dialect === 'gemini') expect(reasoning.encrypted_content).toBe(`rsig1.${dialect}.${SIG(dialect)}`)

    // Stateless next turn (Codex style): the output items go back in `input`.
    await client().responses.create({ model: `${prefix}-text`, input: [user('Think'), ...(r.output as Item[]), user('And now?')], store: false })
    const got = gw.mock.last(dialect)
    const wire = JSON.stringify(got.body)
    expect(wire).not.toContain('rsig1.')
    if (dialect === 'anthropic') {
      expect(got.body.messages[1].content[0]).toEqual({ type: 'thinking', thinking: 'The user wants the answer. It is 42.', signature: SIG('anthropic') })
    } else if (dialect === 'gemini') {
      expect(got.body.contents[1].parts[0]).toMatchObject({ thought: true, thoughtSignature: SIG('gemini') })
    } else if (dialect === 'openai-responses') {
      // the vendor's own reasoning item: its encrypted_content verbatim, under the id the upstream gave it
      // (same dialect: the answer and the next turn both pass through as written)
      expect(reasoning.encrypted_content).toBe(SIG('openai-responses'))
      expect(got.body.input[1]).toMatchObject({ type: 'reasoning', id: reasoning.id, encrypted_content: SIG('openai-responses') })
      expect(got.body.input[1].summary).toEqual([{ type: 'summary_text', text: 'The user wants the answer. It is 42.' }])
      expect(wire).not.toContain('rsid1.')
      expect(got.body.store).toBe(false)
    } else {
      expect(got.body.messages[1].reasoning_content).toBe('The user wants the answer. It is 42.')
    }
  })

  it('upstream 429 is a RateLimitError with retry-after', async () => {
    const e = await client()
      .responses.create({ model: `${prefix}-e429`, input: 'Hi' })
      .catch((x) => x)
    expect(e).toBeInstanceOf(OpenAI.RateLimitError)
    expect(e.status).toBe(429)
    expect(e.headers.get('retry-after')).toBe('7')
    expect(e.error).toMatchObject({ type: 'rate_limit_error' })
    expect(e.error?.message ?? e.message).toContain('e429')
  })

  it('a stream that dies midway ends with an error the SDK throws', async () => {
    const stream = await client().responses.create({ model: `${prefix}-midstream`, input: 'Hi', stream: true })
    const types: string[] = []
    const err = await (async () => {
      for await (const ev of stream) types.push(ev.type)
    })().catch((x) => x)
    expect(err).toBeInstanceOf(Error)
    expect(String(err.message)).toMatch(/unreachable|reset|aborted|terminated|socket/i)
    expect(types).not.toContain('response.completed')
  })

  it('a Codex-like request: instructions, input items with a call and its output, tools, stream', async () => {
    const shell: OpenAI.Responses.FunctionTool = {
      type: 'function',
      name: 'shell',
      description: 'Runs a shell command and returns its output.',
      strict: false,
      parameters: {
        type: 'object',
        properties: { command: { type: 'array', items: { type: 'string' } }, workdir: { type: 'string' }, timeout_ms: { type: 'number' } },
        required: ['command'],
        additionalProperties: false,
      },
    }
    const stream = await client().responses.create({
      model: `${prefix}-text`,
      instructions: 'You are a coding agent running in the Codex CLI.',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>cwd: /repo</environment_context>' }] },
        user('List the files.'),
        { type: 'function_call', call_id: 'call_codex1', name: 'shell', arguments: '{"command":["ls"]}' },
        { type: 'function_call_output', call_id: 'call_codex1', output: 'README.md\npackage.json\n' },
      ],
      tools: [shell],
      ...CODEX_TURN,
      prompt_cache_key: 'b9c7a0f2-0000-4000-8000-codexsession',
    })
    let text = ''
    let last = ''
    for await (const ev of stream) {
      if (ev.type === 'response.output_text.delta') text += ev.delta
      last = ev.type
    }
    expect(text).toBe(`Hello from ${dialect}!`)
    expect(last).toBe('response.completed')
    const got = gw.mock.last(dialect)
    if (dialect === 'anthropic') {
      expect(JSON.stringify(got.body.system)).toContain('Codex CLI')
      expect(got.body.messages.slice(-2).map((m: any) => m.role)).toEqual(['assistant', 'user'])
      expect(got.body.messages.at(-2).content).toEqual([{ type: 'tool_use', id: 'call_codex1', name: 'shell', input: { command: ['ls'] } }])
      expect(got.body.messages.at(-1).content).toEqual([{ type: 'tool_result', tool_use_id: 'call_codex1', content: 'README.md\npackage.json\n' }])
      expect(got.body.tools[0]).toMatchObject({ name: 'shell', input_schema: { required: ['command'] } })
    } else if (dialect === 'gemini') {
      expect(got.body.systemInstruction.parts[0].text).toContain('Codex CLI')
      const model = got.body.contents.find((c: any) => c.role === 'model')
      expect(model.parts[0].functionCall).toMatchObject({ name: 'shell', args: { command: ['ls'] } })
      expect(got.body.contents.at(-1).parts[0].functionResponse.name).toBe('shell')
    } else if (dialect === 'openai-chat') {
      expect(got.body.messages[0]).toEqual({ role: 'system', content: 'You are a coding agent running in the Codex CLI.' })
      const asst = got.body.messages.find((m: any) => m.role === 'assistant')
      expect(asst.tool_calls).toEqual([{ id: 'call_codex1', type: 'function', function: { name: 'shell', arguments: '{"command":["ls"]}' } }])
      expect(got.body.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_codex1', content: 'README.md\npackage.json\n' })
      expect(got.body.parallel_tool_calls).toBe(false)
    } else {
      // same dialect: the request goes through nearly verbatim, still stateless
      expect(got.body).toMatchObject({
        instructions: 'You are a coding agent running in the Codex CLI.',
        stream: true,
        store: false,
        tool_choice: 'auto',
        parallel_tool_calls: false,
        prompt_cache_key: 'b9c7a0f2-0000-4000-8000-codexsession',
        reasoning: { effort: 'medium', summary: 'auto' },
        include: ['reasoning.encrypted_content'],
      })
      expect(got.body.input.slice(2)).toEqual([
        { type: 'function_call', call_id: 'call_codex1', name: 'shell', arguments: '{"command":["ls"]}' },
        { type: 'function_call_output', call_id: 'call_codex1', output: 'README.md\npackage.json\n' },
      ])
      expect(got.body.tools).toEqual([shell])
    }
  })
})

describe('OpenAI SDK (Responses): the door', () => {
  it('a wrong key is a 401 AuthenticationError', async () => {
    const bad = new OpenAI({ apiKey: 'nope', baseURL: `${gw.server.url}/v1`, maxRetries: 0 })
    const e = await bad.responses.create({ model: 'rs-text', input: 'x' }).catch((x) => x)
    expect(e).toBeInstanceOf(OpenAI.AuthenticationError)
  })

  it('previous_response_id (stored state) is refused as a 400 when the request is converted', async () => {
    const e = await client()
      .responses.create({ model: 'an-text', input: 'x', previous_response_id: 'resp_abc' })
      .catch((x) => x)
    expect(e).toBeInstanceOf(OpenAI.BadRequestError)
    expect(e.message).toContain('previous_response_id')
  })

  it('an unknown model is a 404', async () => {
    const e = await client().responses.create({ model: 'nobody-serves-this', input: 'x' }).catch((x) => x)
    expect(e).toBeInstanceOf(OpenAI.NotFoundError)
  })
})
