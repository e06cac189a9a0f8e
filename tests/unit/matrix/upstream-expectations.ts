/** What each upstream must receive for each request case, whichever client dialect sent it. */
import { expect } from 'vitest'
import type { EncodedRequest } from '../../../server/gateway/codec'
import type { DialectName } from '../../../server/gateway/ir'
import { DUMMY_THOUGHT_SIGNATURE } from '../../../server/gateway/dialects/gemini'
import * as S from './builders'

type Check = (enc: EncodedRequest, client: DialectName) => void
type J = any

/** Call ids as each client dialect names them (Gemini clients send none: the codec mints gmcall_<n>). */
const IDS: Record<DialectName, [string, string]> = {
  'openai-chat': ['call_w1', 'call_t2'],
  'openai-responses': ['call_w1', 'call_t2'],
  anthropic: ['toolu_w1', 'toolu_t2'],
  gemini: ['gmcall_0', 'gmcall_1'],
}
/** A Gemini client's schema reaches the IR as lower-case JSON Schema. */
const WEATHER_FROM_GEMINI = {
  type: 'object',
  properties: { city: { type: 'string', description: 'City name' }, unit: { type: 'string', enum: ['c', 'f'] } },
  required: ['city'],
}
const PERSON_FROM_GEMINI = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'age'] }
const weatherSchema = (c: DialectName) => (c === 'gemini' ? WEATHER_FROM_GEMINI : S.WEATHER_SCHEMA)
const personSchema = (c: DialectName) => (c === 'gemini' ? PERSON_FROM_GEMINI : S.PERSON_SCHEMA)
const GEMINI_WEATHER_DECL = { name: 'get_weather', description: 'Current weather', parameters: S.WEATHER_SCHEMA_GEMINI }
/** A Gemini client's own unsigned first call stays unsigned; foreign history gets the documented dummy. */
const firstCallSig = (c: DialectName) => (c === 'gemini' ? {} : { thoughtSignature: DUMMY_THOUGHT_SIGNATURE })
/** A Responses client has no stop sequences (the API has no such field): none reach any upstream. */
const stopFrom = (c: DialectName) => (c === 'openai-responses' ? undefined : S.STOP)
/** OpenAI clients name their structured-output schema ('person', strict); the others get the default name. */
const namesSchema = (c: DialectName) => c === 'openai-chat' || c === 'openai-responses'

/** Keys that must not appear anywhere in a schema sent to Gemini. */
export function forbiddenSchemaKeys(v: unknown, path = '$'): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => forbiddenSchemaKeys(x, `${path}[${i}]`))
  if (typeof v !== 'object' || v === null) return []
  return Object.entries(v).flatMap(([k, x]) => [
    ...(['$schema', 'additionalProperties', '$ref', '$defs', 'definitions'].includes(k) ? [`${path}.${k}`] : []),
    ...forbiddenSchemaKeys(x, `${path}.${k}`),
  ])
}

const openai: Record<S.RequestCase, Check> = {
  text: ({ path, body }, c) => {
    expect(path).toBe('chat/completions')
    expect(body).toMatchObject({ model: S.MODEL, temperature: 0.5, max_tokens: 256 })
    expect(body.stop).toEqual(stopFrom(c))
    expect(body.messages).toEqual([{ role: 'system', content: S.SYSTEM }, { role: 'user', content: S.USER }])
    expect(body.stream).toBeUndefined()
  },
  stream: ({ body }) => {
    expect(body.stream).toBe(true)
    expect(body.stream_options).toEqual({ include_usage: true })
  },
  tools: ({ body }, c) => {
    expect(body.tools).toEqual([{ type: 'function', function: { name: 'get_weather', description: 'Current weather', parameters: weatherSchema(c) } }])
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } })
  },
  'tool-result': ({ body }, c) => {
    const [id] = IDS[c]
    const m = body.messages as J[]
    expect(m).toHaveLength(3)
    expect(m[1]).toMatchObject({ role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'get_weather' } }] })
    expect(JSON.parse(m[1].tool_calls[0].function.arguments)).toEqual(S.WEATHER_ARGS)
    expect(m[2]).toEqual({ role: 'tool', tool_call_id: id, content: S.WEATHER_RESULT })
  },
  'parallel-tool-results': ({ body }, c) => {
    const [w, t] = IDS[c]
    const m = body.messages as J[]
    expect(m.map((x) => x.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'user'])
    expect(m[1].content).toBe('Checking both.')
    expect(m[1].tool_calls.map((x: J) => [x.id, x.function.name, JSON.parse(x.function.arguments)])).toEqual([
      [w, 'get_weather', S.WEATHER_ARGS],
      [t, 'get_time', S.TIME_ARGS],
    ])
    expect(m.slice(2)).toEqual([
      { role: 'tool', tool_call_id: w, content: S.WEATHER_RESULT },
      { role: 'tool', tool_call_id: t, content: S.TIME_RESULT },
      { role: 'user', content: S.FOLLOW_UP },
    ])
  },
  images: ({ body }) => {
    expect((body.messages as J[])[0].content).toEqual([
      { type: 'text', text: 'Describe these.' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${S.PNG_B64}` } },
      { type: 'image_url', image_url: { url: S.IMAGE_URL } },
    ])
  },
  thinking: ({ body }) => {
    expect((body.messages as J[])[1]).toEqual({ role: 'assistant', content: S.ANSWER, reasoning_content: S.REASONING_OWN + S.REASONING_FOREIGN })
    expect(body.reasoning_effort).toBe('high')
  },
  structured: ({ body }, c) => {
    const js: J = { name: namesSchema(c) ? 'person' : 'response', schema: personSchema(c) }
    if (namesSchema(c)) js.strict = true
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: js })
  },
}

const anthropic: Record<S.RequestCase, Check> = {
  text: ({ path, body }, c) => {
    expect(path).toBe('messages')
    expect(body).toMatchObject({ model: S.MODEL, system: S.SYSTEM, max_tokens: 256, temperature: 0.5, stream: false })
    expect(body.stop_sequences).toEqual(stopFrom(c))
    expect(body.messages).toEqual([{ role: 'user', content: S.USER }])
  },
  stream: ({ body }) => {
    expect(body.stream).toBe(true)
    expect(body.max_tokens).toBeGreaterThan(0)
  },
  tools: ({ body }, c) => {
    expect(body.tools).toEqual([{ name: 'get_weather', description: 'Current weather', input_schema: weatherSchema(c) }])
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'get_weather' })
  },
  'tool-result': ({ body }, c) => {
    const [id] = IDS[c]
    expect(body.messages).toEqual([
      { role: 'user', content: S.USER },
      { role: 'assistant', content: [{ type: 'tool_use', id, name: 'get_weather', input: S.WEATHER_ARGS }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: S.WEATHER_RESULT }] },
    ])
  },
  'parallel-tool-results': ({ body }, c) => {
    const [w, t] = IDS[c]
    expect(body.messages).toEqual([
      { role: 'user', content: S.USER },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking both.' },
          { type: 'tool_use', id: w, name: 'get_weather', input: S.WEATHER_ARGS },
          { type: 'tool_use', id: t, name: 'get_time', input: S.TIME_ARGS },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: w, content: S.WEATHER_RESULT },
          { type: 'tool_result', tool_use_id: t, content: S.TIME_RESULT },
          { type: 'text', text: S.FOLLOW_UP },
        ],
      },
    ])
  },
  images: ({ body }) => {
    expect((body.messages as J[])[0].content).toEqual([
      { type: 'text', text: 'Describe these.' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: S.PNG_B64 } },
      { type: 'image', source: { type: 'url', url: S.IMAGE_URL } },
    ])
  },
  thinking: ({ body }) => {
    const own = S.ownSignature('anthropic')
    expect((body.messages as J[])[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'thinking', thinking: S.REASONING_OWN, signature: own.value }, { type: 'text', text: S.ANSWER }],
    })
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: S.THINKING_BUDGET })
    expect(body.max_tokens).toBeGreaterThan(S.THINKING_BUDGET)
  },
  structured: ({ body }, c) => {
    expect(body.output_config).toEqual({ format: { type: 'json_schema', schema: personSchema(c) } })
  },
}

const gemini: Record<S.RequestCase, Check> = {
  text: ({ path, body }, c) => {
    expect(path).toBe(`models/${S.MODEL}:generateContent`)
    expect(body.systemInstruction).toEqual({ parts: [{ text: S.SYSTEM }] })
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: S.USER }] }])
    const stop = stopFrom(c)
    expect(body.generationConfig).toEqual({ temperature: 0.5, maxOutputTokens: 256, ...(stop ? { stopSequences: stop } : {}) })
  },
  stream: ({ path }) => expect(path).toBe(`models/${S.MODEL}:streamGenerateContent?alt=sse`),
  tools: ({ body }) => {
    expect(body.tools).toEqual([{ functionDeclarations: [GEMINI_WEATHER_DECL] }])
    expect(forbiddenSchemaKeys(body.tools)).toEqual([])
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } })
  },
  'tool-result': ({ body }, c) => {
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: S.USER }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: S.WEATHER_ARGS }, ...firstCallSig(c) }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: JSON.parse(S.WEATHER_RESULT) } }] },
    ])
  },
  'parallel-tool-results': ({ body }, c) => {
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: S.USER }] },
      {
        role: 'model',
        parts: [
          { text: 'Checking both.' },
          { functionCall: { name: 'get_weather', args: S.WEATHER_ARGS }, ...firstCallSig(c) },
          { functionCall: { name: 'get_time', args: S.TIME_ARGS } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: JSON.parse(S.WEATHER_RESULT) } },
          { functionResponse: { name: 'get_time', response: { result: S.TIME_RESULT } } },
          { text: S.FOLLOW_UP },
        ],
      },
    ])
    expect(forbiddenSchemaKeys(body.tools)).toEqual([])
  },
  images: ({ body }) => {
    expect((body.contents as J[])[0].parts).toEqual([
      { text: 'Describe these.' },
      { inlineData: { mimeType: 'image/png', data: S.PNG_B64 } },
      { fileData: { mimeType: 'image/jpeg', fileUri: S.IMAGE_URL } },
    ])
  },
  thinking: ({ body }, c) => {
    const own = S.ownSignature('gemini')
    expect((body.contents as J[])[1]).toEqual({
      role: 'model',
      parts: [{ text: S.REASONING_OWN, thought: true, thoughtSignature: own.value }, { text: S.ANSWER }],
    })
    const tc = (body.generationConfig as J).thinkingConfig
    if (c === 'openai-chat' || c === 'openai-responses') expect(tc).toEqual({ thinkingLevel: 'HIGH', includeThoughts: true })
    else expect(tc).toEqual({ thinkingBudget: S.THINKING_BUDGET, includeThoughts: true })
  },
  structured: ({ body }, c) => {
    const g = body.generationConfig as J
    expect(g.responseMimeType).toBe('application/json')
    expect(g.responseSchema).toEqual(S.PERSON_SCHEMA_GEMINI)
    expect(g.responseJsonSchema).toBeUndefined()
    expect(g.maxOutputTokens).toBe(c === 'anthropic' ? 1024 : undefined)
  },
}

/** What a Responses upstream must receive: stateless (`store: false`), `instructions`, `input` items. */
const userItem = (...content: J[]) => ({ type: 'message', role: 'user', content })
const inputText = (text: string) => ({ type: 'input_text', text })
const fnCall = (item: J) => ({ ...item, arguments: JSON.parse(item.arguments) })

const responses: Record<S.RequestCase, Check> = {
  text: ({ path, body }) => {
    expect(path).toBe('responses')
    expect(body).toMatchObject({ model: S.MODEL, instructions: S.SYSTEM, temperature: 0.5, max_output_tokens: 256, store: false })
    expect(body.input).toEqual([userItem(inputText(S.USER))])
    expect(body.stream).toBeUndefined()
    // no stop field in the Responses API (dropped with a warning), nor any Chat-only key
    for (const k of ['stop', 'messages', 'max_tokens', 'system']) expect(body[k]).toBeUndefined()
  },
  stream: ({ path, body }) => {
    expect(path).toBe('responses')
    expect(body.stream).toBe(true)
    expect(body.stream_options).toBeUndefined()
    expect(body.store).toBe(false)
  },
  tools: ({ body }, c) => {
    // strict: false unless the client asked for strict (the Responses API defaults to strict).
    expect(body.tools).toEqual([{ type: 'function', name: 'get_weather', description: 'Current weather', parameters: weatherSchema(c), strict: false }])
    expect(body.tool_choice).toEqual({ type: 'function', name: 'get_weather' })
  },
  'tool-result': ({ body }, c) => {
    const [id] = IDS[c]
    const input = body.input as J[]
    expect(input).toHaveLength(3)
    expect(input[0]).toEqual(userItem(inputText(S.USER)))
    expect(fnCall(input[1])).toEqual({ type: 'function_call', call_id: id, name: 'get_weather', arguments: S.WEATHER_ARGS })
    expect(input[2]).toEqual({ type: 'function_call_output', call_id: id, output: S.WEATHER_RESULT })
  },
  'parallel-tool-results': ({ body }, c) => {
    const [w, t] = IDS[c]
    const input = body.input as J[]
    expect(input.map((x) => x.type)).toEqual(['message', 'message', 'function_call', 'function_call', 'function_call_output', 'function_call_output', 'message'])
    expect(input[1]).toEqual({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking both.' }] })
    expect(input.slice(2, 4).map(fnCall)).toEqual([
      { type: 'function_call', call_id: w, name: 'get_weather', arguments: S.WEATHER_ARGS },
      { type: 'function_call', call_id: t, name: 'get_time', arguments: S.TIME_ARGS },
    ])
    expect(input.slice(4)).toEqual([
      { type: 'function_call_output', call_id: w, output: S.WEATHER_RESULT },
      { type: 'function_call_output', call_id: t, output: S.TIME_RESULT },
      userItem(inputText(S.FOLLOW_UP)),
    ])
    expect((body.tools as J[]).map((x) => [x.type, x.name])).toEqual([['function', 'get_weather'], ['function', 'get_time']])
  },
  images: ({ body }) => {
    expect((body.input as J[])[0].content).toEqual([
      inputText('Describe these.'),
      { type: 'input_image', image_url: `data:image/png;base64,${S.PNG_B64}`, detail: 'auto' },
      { type: 'input_image', image_url: S.IMAGE_URL, detail: 'auto' },
    ])
  },
  thinking: ({ body }) => {
    const own = S.ownSignature('openai-responses')
    const input = body.input as J[]
    // the own reasoning item goes back with its encrypted_content; the foreign one is not sent
    expect(input.map((x) => x.type)).toEqual(['message', 'reasoning', 'message', 'message'])
    expect(input[1]).toEqual({ type: 'reasoning', summary: [{ type: 'summary_text', text: S.REASONING_OWN }], encrypted_content: own.value })
    expect(input[2]).toEqual({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: S.ANSWER }] })
    // summary 'auto': without it the Responses API returns no thinking text to the client.
    expect(body.reasoning).toEqual({ effort: 'high', summary: 'auto' })
    expect(body.store).toBe(false)
    expect(body.include).toEqual(['reasoning.encrypted_content'])
  },
  structured: ({ body }, c) => {
    const format: J = { type: 'json_schema', name: namesSchema(c) ? 'person' : 'response', schema: personSchema(c) }
    if (namesSchema(c)) format.strict = true
    expect(body.text).toEqual({ format })
    expect(body.response_format).toBeUndefined()
  },
}

export const UPSTREAM_EXPECT: Record<DialectName, Record<S.RequestCase, Check>> = {
  'openai-chat': openai,
  'openai-responses': responses,
  anthropic,
  gemini,
}
