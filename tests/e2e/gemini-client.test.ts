import { describe, expect, it } from 'vitest'
import { GoogleGenAI, Type, type Content } from '@google/genai'
import { CLIENT_KEY } from './support/server'
import { TINY_PNG, UPSTREAMS, useGateway } from './support/setup'
import { SIG } from './support/scenarios'

const gw = useGateway()
const client = () => new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: gw.server.url } })
const tools = [
  {
    functionDeclarations: [
      {
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING }, unit: { type: Type.STRING, nullable: true } }, required: ['city'] },
      },
    ],
  },
]

describe.each(UPSTREAMS)('Gemini SDK → $dialect upstream', ({ prefix, dialect }) => {
  it('text, not streamed, with a system instruction', async () => {
    const r = await client().models.generateContent({
      model: `${prefix}-text`,
      contents: 'Hi',
      config: { systemInstruction: 'Be brief.', temperature: 0.3, maxOutputTokens: 99, stopSequences: ['END'] },
    })
    expect(r.text).toBe(`Hello from ${dialect}!`)
    expect(r.candidates?.[0]?.finishReason).toBe('STOP')
    expect(r.usageMetadata?.promptTokenCount).toBe(21)
    expect(r.usageMetadata?.candidatesTokenCount).toBe(9)
    const got = gw.mock.last(dialect)
    if (dialect === 'anthropic') expect(got.body).toMatchObject({ max_tokens: 99, temperature: 0.3, stop_sequences: ['END'] })
    if (dialect === 'openai-chat') expect(got.body.messages[0]).toEqual({ role: 'system', content: 'Be brief.' })
    if (dialect === 'openai-responses') expect(got.body).toMatchObject({ instructions: 'Be brief.', max_output_tokens: 99, temperature: 0.3, store: false })
  })

  it('text, streamed (SSE)', async () => {
    let text = ''
    let last
    for await (const chunk of await client().models.generateContentStream({ model: `${prefix}-text`, contents: 'Hi' })) {
      text += chunk.text ?? ''
      last = chunk
    }
    expect(text).toBe(`Hello from ${dialect}!`)
    expect(last?.candidates?.[0]?.finishReason).toBe('STOP')
    expect(last?.usageMetadata?.candidatesTokenCount).toBe(9)
  })

  it('parallel function calls, streamed, then the responses go back by name', async () => {
    const calls: any[] = []
    for await (const chunk of await client().models.generateContentStream({ model: `${prefix}-parallel`, contents: 'Paris and Tokyo?', config: { tools } }))
      calls.push(...(chunk.functionCalls ?? []))
    expect(calls.map((c) => c.args.city)).toEqual(['Paris', 'Tokyo'])
    expect(calls.every((c) => c.name === 'get_weather')).toBe(true)
    const history: Content[] = [
      { role: 'user', parts: [{ text: 'Paris and Tokyo?' }] },
      { role: 'model', parts: calls.map((c) => ({ functionCall: c })) },
      { role: 'user', parts: calls.map((c, i) => ({ functionResponse: { id: c.id, name: c.name, response: { temp: 18 + i } } })) },
    ]
    const r = await client().models.generateContent({ model: `${prefix}-text`, contents: history, config: { tools } })
    expect(r.text).toBe(`Hello from ${dialect}!`)
    const got = gw.mock.last(dialect)
    if (dialect === 'anthropic') {
      const last = got.body.messages.at(-1)
      expect(last.content.map((b: any) => b.type)).toEqual(['tool_result', 'tool_result'])
      const asst = got.body.messages.at(-2)
      expect(asst.content.map((b: any) => b.id)).toEqual(last.content.map((b: any) => b.tool_use_id))
    }
    if (dialect === 'openai-chat') {
      const asst = got.body.messages.find((m: any) => m.role === 'assistant')
      const toolMsgs = got.body.messages.filter((m: any) => m.role === 'tool')
      expect(toolMsgs.map((m: any) => m.tool_call_id)).toEqual(asst.tool_calls.map((c: any) => c.id))
      expect(JSON.parse(toolMsgs[0].content)).toEqual({ temp: 18 })
    }
    if (dialect === 'openai-responses') {
      const input = got.body.input as any[]
      const fc = input.filter((i) => i.type === 'function_call')
      const out = input.filter((i) => i.type === 'function_call_output')
      expect(fc.map((i) => i.name)).toEqual(['get_weather', 'get_weather'])
      expect(out.map((i) => i.call_id)).toEqual(fc.map((i) => i.call_id))
      expect(JSON.parse(out[0].output)).toEqual({ temp: 18 })
    }
  })

  it('an inline image reaches the upstream', async () => {
    await client().models.generateContent({
      model: `${prefix}-text`,
      contents: [{ role: 'user', parts: [{ text: 'What is this?' }, { inlineData: { mimeType: 'image/png', data: TINY_PNG } }] }],
    })
    const got = gw.mock.last(dialect)
    if (dialect === 'anthropic') expect(got.body.messages[0].content[1]).toEqual({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: TINY_PNG } })
    if (dialect === 'openai-chat') expect(got.body.messages[0].content[1].image_url.url).toBe(`data:image/png;base64,${TINY_PNG}`)
    if (dialect === 'openai-responses') expect(got.body.input[0].content[1]).toMatchObject({ type: 'input_image', image_url: `data:image/png;base64,${TINY_PNG}` })
  })

  it('thoughts come back as thought parts and their signature returns', async () => {
    const r = await client().models.generateContent({
      model: `${prefix}-thinking`,
      contents: 'Think',
      config: { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } },
    })
    const parts = r.candidates![0]!.content!.parts!
    const thought = parts.find((p) => p.thought)
    expect(thought?.text).toBe('The user wants the answer. It is 42.')
    expect(r.text).toBe('The answer is 42.')
    expect(r.usageMetadata?.thoughtsTokenCount).toBe(25)
    await client().models.generateContent({
      model: `${prefix}-text`,
      contents: [{ role: 'user', parts: [{ text: 'Think' }] }, r.candidates![0]!.content!, { role: 'user', parts: [{ text: 'And now?' }] }],
    })
    const got = gw.mock.last(dialect)
    if (dialect === 'anthropic') expect(got.body.messages[1].content[0]).toMatchObject({ type: 'thinking', signature: SIG('anthropic') })
    if (dialect === 'openai-responses') expect(got.body.input[1]).toMatchObject({ type: 'reasoning', encrypted_content: SIG('openai-responses') })
  })

  it('upstream 429 is RESOURCE_EXHAUSTED', async () => {
    const e = await client()
      .models.generateContent({ model: `${prefix}-e429`, contents: 'x' })
      .catch((x) => x)
    expect(e.status).toBe(429)
    expect(String(e.message)).toContain('RESOURCE_EXHAUSTED')
  })
})

describe('Gemini: the door', () => {
  it('streamGenerateContent without alt=sse is a JSON array', async () => {
    const r = await fetch(`${gw.server.url}/v1beta/models/an-text:streamGenerateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': CLIENT_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] }),
    })
    expect(r.status).toBe(200)
    const arr = JSON.parse(await r.text())
    expect(Array.isArray(arr)).toBe(true)
    expect(arr.map((c: any) => c.candidates?.[0]?.content?.parts?.map((p: any) => p.text ?? '').join('') ?? '').join('')).toBe('Hello from anthropic!')
  })

  it('?key= authenticates and /v1/models/... works too', async () => {
    const r = await fetch(`${gw.server.url}/v1/models/gm-text:generateContent?key=${CLIENT_KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'Hi' }] }] }),
    })
    expect(r.status).toBe(200)
    expect(((await r.json()) as any).candidates[0].content.parts[0].text).toBe('Hello from gemini!')
  })

  it('an unknown model is a Gemini-shaped 404', async () => {
    const e = await client().models.generateContent({ model: 'nothing-here', contents: 'x' }).catch((x) => x)
    expect(e.status).toBe(404)
    expect(String(e.message)).toContain('NOT_FOUND')
  })

  it('models are listed in the Gemini shape', async () => {
    const r = await fetch(`${gw.server.url}/v1beta/models`, { headers: { 'x-goog-api-key': CLIENT_KEY } })
    const body = (await r.json()) as any
    expect(body.models.map((m: any) => m.name)).toContain('models/smart')
  })
})
