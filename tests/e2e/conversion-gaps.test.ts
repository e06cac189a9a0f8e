import { describe, expect, it } from 'vitest'
import OpenAI from 'openai'
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI, type Content, type Part } from '@google/genai'
import { z } from 'zod'
import { fixtureJson } from '../helpers/fixtures'
import { ADMIN_KEY, CLIENT_KEY } from './support/server'
import { useGateway } from './support/setup'
import { SIG } from './support/scenarios'
import { trpc, bearer } from './support/admin-api'

/**
 * Issue 14 items 7 and 8 through the official SDKs: the conversion gaps as a client sees them, and
 * every lossy step reported in `x-rosetta-warnings` and on the request log row.
 */
const gw = useGateway()
const openai = () => new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${gw.server.url}/v1`, maxRetries: 0 })
const anthropic = () => new Anthropic({ apiKey: CLIENT_KEY, baseURL: gw.server.url, maxRetries: 0 })
const genai = () => new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: gw.server.url } })

/** The log is written in batches: poll until the row is there. */
async function logRow(requestId: string): Promise<any> {
  for (let i = 0; i < 100; i++) {
    const r = await trpc(gw.server.url, 'query', 'logs.get', { requestId }, bearer(ADMIN_KEY))
    if (r.status === 200) return r.body.result.data
    await new Promise((res) => setTimeout(res, 100))
  }
  throw new Error(`no log row for ${requestId}`)
}

describe('x-rosetta-warnings and the log row', () => {
  it('a converted answer names what was lost: raised limit and dropped parameter, header and log agree', async () => {
    const { data, response } = await openai()
      .chat.completions.create({ model: 'rs-text', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 5, stop: ['END'] })
      .withResponse()
    expect(data.choices[0]!.message.content).toBe('Hello from openai-responses!')
    expect(gw.mock.last('openai-responses').body.max_output_tokens).toBe(16)
    expect(response.headers.get('x-rosetta-warnings')).toBe('raised=max_output_tokens; dropped=stop')
    const row = await logRow(response.headers.get('x-request-id')!)
    expect(row.warnings.split('\n')).toEqual([
      "raised=max_output_tokens: max_output_tokens 5 raised to 16, the Responses API's minimum",
      'dropped=stop: stop sequences are not supported by the Responses API; dropped',
    ])
  })

  it('a streamed converted answer carries the header too (set before the first byte)', async () => {
    const { data: stream, response } = await anthropic()
      .messages.create({ model: 'gm-text', max_tokens: 50, top_k: 5, metadata: { user_id: 'u1' }, messages: [{ role: 'user', content: 'Hi' }], stream: true, service_tier: 'auto' } as any)
      .withResponse()
    let text = ''
    for await (const ev of stream as any) if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') text += ev.delta.text
    expect(text).toBe('Hello from gemini!')
    // Gemini takes top_k and the user id is Anthropic's own; service_tier has no Gemini field.
    expect(response.headers.get('x-rosetta-warnings')).toBe('dropped=service_tier; dropped=user')
  })

  it('the same dialect in and out (passthrough) has no header and no warnings on the row', async () => {
    const { response } = await openai().chat.completions.create({ model: 'oa-text', messages: [{ role: 'user', content: 'Hi' }], stop: ['END'] }).withResponse()
    expect(response.headers.get('x-rosetta-warnings')).toBeNull()
    expect((await logRow(response.headers.get('x-request-id')!)).warnings).toBeNull()
  })
})

/** A Chat request whose system message comes after the first exchange; returns the HTTP response. */
async function withMidConversationSystem(model: string): Promise<Response> {
  const { response } = await openai()
    .chat.completions.create({
      model,
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'system', content: 'Now in French.' },
        { role: 'user', content: 'c' },
      ],
    })
    .withResponse()
  return response
}

describe('to a Responses upstream', () => {
  it('Anthropic client with thinking: reasoning.summary "auto" is asked for, and the thinking text arrives', async () => {
    const msg = await anthropic().messages.create({
      model: 'rs-thinking',
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [{ role: 'user', content: 'What is the answer?' }],
    })
    expect(gw.mock.last('openai-responses').body.reasoning).toEqual({ effort: 'medium', summary: 'auto' })
    expect(msg.content[0]).toMatchObject({ type: 'thinking', thinking: 'The user wants the answer. It is 42.' })
  })

  it('OpenAI Chat tools go as strict: false unless strict was asked for', async () => {
    await openai().chat.completions.create({
      model: 'rs-tools',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
        { type: 'function', function: { name: 'get_time', strict: true, parameters: { type: 'object', properties: {}, additionalProperties: false } } },
      ],
    })
    expect(gw.mock.last('openai-responses').body.tools.map((t: any) => [t.name, t.strict])).toEqual([
      ['get_weather', false],
      ['get_time', true],
    ])
  })

  it('a system message in the middle of the conversation stays where it was', async () => {
    const response = await withMidConversationSystem('rs-text')
    const input = gw.mock.last('openai-responses').body.input
    expect(input.map((i: any) => i.role)).toEqual(['user', 'assistant', 'system', 'user'])
    expect(response.headers.get('x-rosetta-warnings')).toBeNull()
  })
})

describe('a mid-conversation system message to Anthropic moves, and says so', () => {
  it('moved=messages[2]', async () => {
    const response = await withMidConversationSystem('an-text')
    expect(JSON.stringify(gw.mock.last('anthropic').body.system)).toContain('Now in French.')
    expect(response.headers.get('x-rosetta-warnings')).toBe('moved=messages[2]')
  })
})

describe('an Anthropic tool call without arguments (recorded stream: one empty input_json_delta)', () => {
  it('reaches the OpenAI SDK (Chat, streamed) as "{}"', async () => {
    const stream = openai().chat.completions.stream({ model: 'an-rnoargs', messages: [{ role: 'user', content: 'update' }], stream: true })
    const done = await stream.finalChatCompletion()
    const call = done.choices[0]!.message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall
    expect(call.function.name).toBe('updateIssueList')
    expect(call.function.arguments).toBe('{}')
  })

  it('reaches the OpenAI SDK (Responses, streamed) with its argument events', async () => {
    const stream = await openai().responses.create({ model: 'an-rnoargs', input: 'update', stream: true })
    const deltas: string[] = []
    let done: any
    for await (const ev of stream) {
      if (ev.type === 'response.function_call_arguments.delta') deltas.push(ev.delta)
      if (ev.type === 'response.function_call_arguments.done') done = ev
    }
    expect(deltas).toEqual(['{}'])
    expect(done.arguments).toBe('{}')
  })
})

describe('OpenAI Chat n > 1', () => {
  it('Gemini upstream: candidateCount 3, three choices back', async () => {
    const r = await openai().chat.completions.create({ model: 'gm-several', n: 3, messages: [{ role: 'user', content: 'A colour?' }] })
    expect(gw.mock.last('gemini').body.generationConfig.candidateCount).toBe(3)
    expect(r.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, 'Red', 'stop'],
      [1, 'Green', 'stop'],
      [2, 'Blue', 'length'],
    ])
  })

  it('Anthropic upstream: a 400 naming n, and the upstream is never called', async () => {
    const before = gw.mock.requests.length
    const err = await openai()
      .chat.completions.create({ model: 'an-text', n: 2, messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e)
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect(err.status).toBe(400)
    expect(err.param).toBe('n')
    expect(err.message).toContain('n: 2 answers')
    expect(gw.mock.requests.length).toBe(before)
  })
})

describe('Gemini CLI → Anthropic upstream with thinking on', () => {
  const turn = fixtureJson<any>('agent-cli-requests/gemini-cli-tool-turn.request.json')

  it('the thinking rides in the call’s thoughtSignature and comes back before the tool_use', async () => {
    const ai = genai()
    const calls: Part[] = []
    const stream = await ai.models.generateContentStream({
      model: 'an-thinktool',
      contents: turn.contents.slice(0, 1),
      config: { systemInstruction: turn.systemInstruction, thinkingConfig: turn.generationConfig.thinkingConfig, tools: turn.tools },
    })
    // Gemini CLI keeps function calls (with their thoughtSignature) in its history, never thought parts.
    for await (const chunk of stream) for (const p of chunk.candidates?.[0]?.content?.parts ?? []) if (p.functionCall) calls.push(p)
    expect(calls).toHaveLength(1)
    expect(calls[0]!.thoughtSignature).toMatch(/^rsig1\.thinking\./)
    const history: Content[] = [
      turn.contents[0],
      { role: 'model', parts: calls },
      { role: 'user', parts: [{ functionResponse: { id: calls[0]!.functionCall!.id, name: 'get_weather', response: { output: '12 C' } } }] },
    ]
    await ai.models.generateContent({ model: 'an-thinktool', contents: history, config: { thinkingConfig: turn.generationConfig.thinkingConfig, tools: turn.tools } })
    const got = gw.mock.last('anthropic').body
    expect(got.thinking).toEqual({ type: 'enabled', budget_tokens: 24576 })
    expect(got.messages[1].content[0]).toEqual({ type: 'thinking', thinking: 'I should call the tool.', signature: SIG('anthropic') })
    expect(got.messages[1].content[1]).toMatchObject({ type: 'tool_use', name: 'get_weather' })
  })

  it('the recorded follow-up with only the dummy signature goes without thinking, warned', async () => {
    const r = await fetch(`${gw.server.url}/v1beta/models/an-text:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': CLIENT_KEY, 'content-type': 'application/json' },
      body: JSON.stringify(turn),
    })
    expect(r.status).toBe(200)
    expect(r.headers.get('x-rosetta-warnings')).toContain('dropped=thinking')
    const got = gw.mock.last('anthropic').body
    expect(got.thinking).toBeUndefined()
    expect(got.messages[1].content[0].type).toBe('tool_use')
  })

  it("the router's upper-case responseJsonSchema reaches an OpenAI upstream as JSON Schema", async () => {
    const router = fixtureJson<any>('agent-cli-requests/gemini-cli-router.request.json')
    const r = await genai().models.generateContent({
      model: 'oa-text',
      contents: router.contents,
      config: { systemInstruction: router.systemInstruction, responseMimeType: 'application/json', responseJsonSchema: router.generationConfig.responseJsonSchema },
    })
    expect(r.text).toBe('Hello from openai-chat!')
    const schema = gw.mock.last('openai-chat').body.response_format.json_schema.schema
    expect(schema.type).toBe('object')
    expect(schema.properties.reasoning.type).toBe('string')
    expect(schema.properties.model_choice).toEqual({ type: 'string', enum: ['flash', 'pro'] })
  })
})

describe('OpenAI Chat stream from a Gemini upstream', () => {
  /** The Vercel AI SDK's chunk check, restated: a tool-call delta must carry a `function` object. */
  const aiSdkChunk = z.object({
    choices: z.array(
      z.object({
        index: z.number(),
        delta: z
          .object({
            tool_calls: z
              .array(z.object({ index: z.number(), id: z.string().nullish(), type: z.literal('function').nullish(), function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }) }))
              .nullish(),
          })
          .nullish(),
      }),
    ),
  })

  it('every chunk passes; the thought signature rides with id, type and function', async () => {
    const r = await fetch(`${gw.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gm-thinktool', stream: true, messages: [{ role: 'user', content: 'Weather in Oslo?' }] }),
    })
    const frames = (await r.text())
      .split('\n\n')
      .map((f) => f.replace(/^data: /, '').trim())
      .filter((f) => f && f !== '[DONE]')
      .map((f) => JSON.parse(f))
    for (const c of frames) expect(aiSdkChunk.safeParse(c).success, JSON.stringify(c)).toBe(true)
    const signed = frames.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []).filter((tc: any) => tc.extra_content)
    expect(signed).toHaveLength(1)
    expect(signed[0]).toMatchObject({ id: expect.any(String), type: 'function', function: { name: 'get_weather' } })
    expect(signed[0].extra_content.google.thought_signature).toBe(`rsig1.gemini.${SIG('gemini')}`)
  })
})
