import { describe, expect, it } from 'vitest'
import type Anthropic from '@anthropic-ai/sdk'
import { ADMIN_KEY, CLIENT_KEY } from './support/server'
import { sdkClients } from './support/sdk-clients'
import { useGateway } from './support/setup'
import { chat } from './support/admin-api'

/**
 * Issue 18 item 3: `type: bedrock` as rosetta.yaml describes it. The mock upstream verifies every
 * request's SigV4 signature (recomputed with @smithy/signature-v4 from the secret it knows) and
 * answers ConverseStream in real eventstream framing (support/mock-bedrock.ts); each official SDK
 * reads the converted answer.
 */
const AKID = 'AKIAMOCKE2E000000001'
const SECRET = 'mock/e2e+Secret/0123456789abcdefABCDEFGH'
const TOKEN = 'IQoJb3JpZ2luX2VjMOCK+session/token=='
const AKID2 = 'AKIAMOCKE2E000000002'
const SECRET2 = 'second/secret+Key0123456789abcdefABCDEFG'
const MODEL = 'br-tools:0'
const ENCODED = '/bedrock/model/br-tools%3A0/converse-stream'

const gw = useGateway('', {
  config: (_url, mock) => {
    mock.bedrock.credentials.set(AKID, { secret: SECRET, token: TOKEN })
    mock.bedrock.credentials.set(AKID2, { secret: SECRET2 })
    return `
providers:
  # region us-west-2 signs the requests although base_url points at the mock
  - id: aws
    type: bedrock
    region: us-west-2
    base_url: ${mock.url}/bedrock
    keys:
      - access_key_id: ${AKID}
        secret_access_key: "${SECRET}"
        session_token: "${TOKEN}"
  - id: aws-short
    type: bedrock
    region: us-west-2
    base_url: ${mock.url}/bedrock
    keys: ["${AKID2}:${SECRET2}"]
  - id: aws-wrong-region
    type: bedrock
    region: eu-west-1
    base_url: ${mock.url}/bedrock
    keys: ["${AKID2}:${SECRET2}"]
  - { id: backup, type: openai, base_url: "${mock.url}/openai/v1", keys: [sk-backup-key-000000000001] }
models:
  - { name: short-form, targets: [ { provider: aws-short, model: br-text } ] }
  - { name: wrong-region, targets: [ { provider: aws-wrong-region, model: br-text } ] }
  - name: throttled
    targets: [ { provider: aws, model: br-e429 } ]
    fallbacks: [ { provider: backup, model: oa-text } ]
  - name: throttled-stream
    targets: [ { provider: aws, model: br-xthrottle } ]
    fallbacks: [ { provider: backup, model: oa-text } ]
routes:
  - { name: bedrock, match: { prefix: "br-" }, provider: aws }
client_keys:
  - { name: test, key: ${CLIENT_KEY} }
`
  },
})

const { openai, anthropic, gemini } = sdkClients(() => gw.server.url)
const weather = { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }

/** What the last Bedrock call carried: a verified signature with the scope, the signed headers and the body. */
function expectSignedConverse(path: string) {
  const got = gw.mock.last('bedrock-converse')
  expect(got.path).toBe(path)
  const auth = String(got.headers.authorization)
  expect(auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAMOCKE2E00000000[12]\/\d{8}\/us-west-2\/bedrock\/aws4_request, SignedHeaders=[^,]*host[^,]*x-amz-date[^,]*, Signature=[0-9a-f]{64}$/)
  expect(got.body.model).toBeUndefined()
  expect(got.body.stream).toBeUndefined()
  return got
}

describe('Bedrock ConverseStream, tools, through all four official SDKs', () => {
  it('OpenAI Chat SDK: streamed tool call; signed with the session token', async () => {
    const verified = gw.mock.bedrock.verified
    const stream = await openai().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [{ type: 'function', function: weather }], stream: true })
    let text = ''
    let args = ''
    let name = ''
    let finish: string | null | undefined
    for await (const c of stream) {
      const d = c.choices[0]?.delta
      text += d?.content ?? ''
      for (const t of d?.tool_calls ?? []) {
        name ||= t.function?.name ?? ''
        args += t.function?.arguments ?? ''
      }
      finish = c.choices[0]?.finish_reason ?? finish
    }
    expect(text).toBe('Let me check.')
    expect([name, JSON.parse(args)]).toEqual(['get_weather', { city: 'Paris', unit: 'celsius' }])
    expect(finish).toBe('tool_calls')
    const got = expectSignedConverse(ENCODED)
    expect(String(got.headers.authorization)).toContain('x-amz-security-token')
    expect(got.headers['x-amz-security-token']).toBe(TOKEN)
    expect(got.body.toolConfig.tools[0].toolSpec.name).toBe('get_weather')
    expect(gw.mock.bedrock.verified).toBe(verified + 1)
  })

  it('OpenAI Responses SDK: streamed function call', async () => {
    const stream = await openai().responses.create({ model: MODEL, input: 'Weather in Paris?', tools: [{ type: 'function', strict: false, ...weather }], stream: true })
    let text = ''
    let call: { name: string; arguments: string } | undefined
    for await (const ev of stream) {
      if (ev.type === 'response.output_text.delta') text += ev.delta
      if (ev.type === 'response.output_item.done' && ev.item.type === 'function_call') call = ev.item
    }
    expect(text).toBe('Let me check.')
    expect(call && [call.name, JSON.parse(call.arguments)]).toEqual(['get_weather', { city: 'Paris', unit: 'celsius' }])
    expectSignedConverse(ENCODED)
  })

  it('Anthropic SDK: streamed tool_use, then the tool result goes back with a toolConfig and no blank text', async () => {
    const m = await anthropic()
      .messages.stream({ model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [{ name: 'get_weather', description: 'Current weather', input_schema: weather.parameters as Anthropic.Tool.InputSchema }] })
      .finalMessage()
    const use = m.content.find((b) => b.type === 'tool_use')
    expect(m.content.find((b) => b.type === 'text')).toMatchObject({ text: 'Let me check.' })
    expect(use && use.type === 'tool_use' ? [use.name, use.input] : undefined).toEqual(['get_weather', { city: 'Paris', unit: 'celsius' }])
    expect(m.stop_reason).toBe('tool_use')
    expectSignedConverse(ENCODED)

    // The next turn answers the call without offering tools: Converse still needs them declared.
    const r = await anthropic().messages.create({
      model: 'br-text',
      max_tokens: 256,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: use!.type === 'tool_use' ? use!.id : '', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use!.type === 'tool_use' ? use!.id : '', content: '21C' }] },
      ],
    })
    expect(r.content).toEqual([expect.objectContaining({ type: 'text', text: 'Hello from anthropic!' })])
    const got = expectSignedConverse('/bedrock/model/br-text/converse')
    expect(got.body.messages[1].content).toEqual([{ toolUse: { toolUseId: use!.type === 'tool_use' ? use!.id : '', name: 'get_weather', input: { city: 'Paris' } } }])
    expect(got.body.toolConfig.tools.map((t: any) => t.toolSpec.name)).toEqual(['get_weather'])
  })

  it('Gemini SDK: streamed function call', async () => {
    let text = ''
    const calls: Array<{ name?: string; args?: unknown }> = []
    for await (const c of await gemini().models.generateContentStream({ model: MODEL, contents: 'Weather in Paris?', config: { tools: [{ functionDeclarations: [{ name: weather.name, description: weather.description, parametersJsonSchema: weather.parameters }] }] } })) {
      text += c.text ?? ''
      calls.push(...(c.functionCalls ?? []))
    }
    expect(text).toBe('Let me check.')
    expect(calls.map((c) => [c.name, c.args])).toEqual([['get_weather', { city: 'Paris', unit: 'celsius' }]])
    expectSignedConverse(ENCODED)
  })
})

describe('Bedrock Converse (not streamed), keys and failures', () => {
  it('an AKID:SECRET key signs without a session token', async () => {
    const r = await openai().chat.completions.create({ model: 'short-form', messages: [{ role: 'user', content: 'Hi' }] })
    expect(r.choices[0]!.message.content).toBe('Hello from anthropic!')
    expect(r.usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 9 })
    const got = expectSignedConverse('/bedrock/model/br-text/converse')
    expect(String(got.headers.authorization)).toContain(`Credential=${AKID2}/`)
    expect(got.headers['x-amz-security-token']).toBeUndefined()
  })

  it('a signature scoped to another region is refused by the vendor as an authentication error', async () => {
    const r = await chat(gw.server.url, CLIENT_KEY, 'wrong-region')
    expect(r.status).toBe(401)
    expect(gw.mock.bedrock.refused.at(-1)).toMatch(/eu-west-1\/bedrock/)
    expect(r.text).not.toContain(SECRET2)
  })

  it('a ThrottlingException fails over to the fallback target', async () => {
    const before = gw.mock.requests.length
    const r = await openai().chat.completions.create({ model: 'throttled', messages: [{ role: 'user', content: 'Hi' }] })
    expect(r.choices[0]!.message.content).toBe('Hello from openai-chat!')
    const tried = gw.mock.requests.slice(before).map((q) => q.dialect)
    expect(tried).toEqual(['bedrock-converse', 'openai-chat'])
  })

  it('a stream whose first frame is a throttlingException fails over too (nothing had reached the client)', async () => {
    const before = gw.mock.requests.length
    const stream = await anthropic().messages.stream({ model: 'throttled-stream', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage()
    expect(stream.content).toEqual([expect.objectContaining({ type: 'text', text: 'Hello from openai-chat!' })])
    expect(gw.mock.requests.slice(before).map((q) => q.dialect)).toEqual(['bedrock-converse', 'openai-chat'])
  })

  it('the export masks the credentials; the secrets never appear', async () => {
    const exp = await fetch(`${gw.server.url}/api/trpc/config.export`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
    const text = await exp.text()
    expect(exp.status).toBe(200)
    expect(text).toContain('region: us-west-2')
    for (const s of [SECRET, TOKEN, SECRET2]) expect(text).not.toContain(s)
  })
})
