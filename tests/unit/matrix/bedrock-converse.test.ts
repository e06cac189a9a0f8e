/**
 * Bedrock Converse in the matrix: it is an upstream only, so every client dialect is paired with it —
 * each client's request (the matrix request builders) → IR → Converse request; a ConverseStream in
 * eventstream framing → IR → each client's stream encoder → that client's decoder; a Converse
 * response and Converse errors → each client's shape.
 */
import { describe, expect, it } from 'vitest'
import { DIALECTS, type IRStreamEvent } from '../../../server/gateway/ir'
import { CODECS, UPSTREAM_CODECS } from '../../../server/gateway/registry'
import { GatewayError } from '../../../server/gateway/errors'
import { CLIENT_WIRES, fold, throughClient } from './helpers'
import * as S from './builders'
import { REQUEST_BUILDERS, REQUEST_CASES } from './builders'
import { frames, toolCallStreamEvents } from '../dialects/bedrock-converse/wire'

const BEDROCK = UPSTREAM_CODECS['bedrock-converse']
type J = any

function convert(client: (typeof DIALECTS)[number], c: (typeof REQUEST_CASES)[number]) {
  const { body, ctx } = REQUEST_BUILDERS[client][c]('bedrock-converse')
  const ir = CODECS[client].decodeRequest(structuredClone(body), ctx)
  const upReq = { ...ir, extras: undefined }
  return { ir: upReq, enc: BEDROCK.encodeRequest(upReq) }
}

/** What Bedrock must receive for each request case, whichever client sent it. */
const EXPECT: Record<(typeof REQUEST_CASES)[number], (enc: { path: string; body: J }, client: string) => void> = {
  text: ({ path, body }, client) => {
    expect(path).toBe(`model/${S.MODEL}/converse`)
    expect(body.model).toBeUndefined()
    expect(body.stream).toBeUndefined()
    expect(body.system).toEqual([{ text: S.SYSTEM }])
    expect(body.messages).toEqual([{ role: 'user', content: [{ text: S.USER }] }])
    expect(body.inferenceConfig).toMatchObject({ maxTokens: 256, temperature: 0.5 })
    // A Responses client has no stop sequences.
    expect(body.inferenceConfig.stopSequences).toEqual(client === 'openai-responses' ? undefined : S.STOP)
  },
  stream: ({ path, body }) => {
    expect(path).toBe(`model/${S.MODEL}/converse-stream`)
    expect(body.stream).toBeUndefined()
  },
  tools: ({ body }) => {
    expect(body.toolConfig.tools).toHaveLength(1)
    expect(body.toolConfig.tools[0].toolSpec).toMatchObject({ name: 'get_weather', description: 'Current weather' })
    expect(body.toolConfig.tools[0].toolSpec.inputSchema.json.properties.city.type).toBe('string')
    expect(body.toolConfig.toolChoice).toEqual({ tool: { name: 'get_weather' } })
  },
  'tool-result': ({ body }) => {
    const [, assistant, user] = body.messages
    // An assistant turn that only calls a tool carries no (blank) text block.
    expect(assistant.content).toHaveLength(1)
    expect(assistant.content[0].toolUse).toMatchObject({ name: 'get_weather', input: S.WEATHER_ARGS })
    expect(user.content[0].toolResult.toolUseId).toBe(assistant.content[0].toolUse.toolUseId)
    expect(user.content[0].toolResult.content).toEqual([{ text: S.WEATHER_RESULT }])
    expect(body.toolConfig.tools.map((t: J) => t.toolSpec.name)).toEqual(['get_weather'])
  },
  'parallel-tool-results': ({ body }) => {
    const [, assistant, user] = body.messages
    expect(assistant.content[0]).toEqual({ text: 'Checking both.' })
    expect(assistant.content.slice(1).map((b: J) => b.toolUse.name)).toEqual(['get_weather', 'get_time'])
    // tool results first in the user turn, then the follow-up text
    expect(user.content.map((b: J) => Object.keys(b)[0])).toEqual(['toolResult', 'toolResult', 'text'])
    expect(user.content[1].toolResult.content).toEqual([{ text: S.TIME_RESULT }])
  },
  images: () => {
    throw new Error('images: checked below (a URL image is refused)')
  },
  thinking: ({ body }) => {
    const assistant = body.messages[1]
    expect(assistant.content[0]).toEqual({ reasoningContent: { reasoningText: { text: S.REASONING_OWN, signature: S.ownSignature('bedrock-converse').value } } })
    // the foreign-signed reasoning is not sent; the answer text follows
    expect(assistant.content.slice(1)).toEqual([{ text: S.ANSWER }])
  },
  structured: ({ body }) => {
    expect(body.messages).toEqual([{ role: 'user', content: [{ text: 'Extract: Ann is 31.' }] }])
  },
}

describe.each(DIALECTS)('request %s client → bedrock-converse upstream', (client) => {
  it.each(REQUEST_CASES.filter((c) => c !== 'images'))('%s', (c) => {
    const { enc } = convert(client, c)
    EXPECT[c](enc as J, client)
  })

  it('images: the inline PNG would go as bytes, the web URL is refused naming its place', () => {
    let err: unknown
    try {
      convert(client, 'images')
    } catch (e) {
      err = e
    }
    expect(GatewayError.is(err)).toBe(true)
    expect((err as GatewayError).kind).toBe('unsupported')
    expect((err as GatewayError).message).toMatch(/image URL cannot be sent to bedrock-converse/)
  })

  it('structured output is warned as dropped, never silently lost', () => {
    const { ir } = convert(client, 'structured')
    expect(ir.warnings?.some((w) => w.field === 'response_format' && w.code === 'dropped')).toBe(true)
  })
})

function bedrockStreamEvents(): IRStreamEvent[] {
  const dec = BEDROCK.createStreamDecoder()
  const out: IRStreamEvent[] = []
  const bytes = frames(toolCallStreamEvents())
  const reader = BEDROCK.createFrameReader!((m) => out.push(...dec.push(m)))
  // odd-sized chunks: frames split across chunks and several in one
  for (let i = 0; i < bytes.length; i += 97) reader.feed(bytes.subarray(i, i + 97))
  reader.end()
  out.push(...dec.end())
  return out
}

describe.each(CLIENT_WIRES)('ConverseStream → $label client', (w) => {
  it('text, reasoning with its signature, the tool call, finish and usage arrive', () => {
    const seen = fold(throughClient(bedrockStreamEvents(), w.dialect, w.sse))
    expect(seen.text).toBe('Let me check that.')
    expect(seen.tools.map((t) => ({ name: t.name, args: JSON.parse(t.arguments) as unknown }))).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }])
    expect(seen.finish?.reason.unified).toBe('tool-calls')
    expect(seen.finish?.usage.inputTokens).toBe(520)
    expect(seen.finish?.usage.outputTokens).toBe(96)
    // Chat Completions has no reasoning text on the wire for a converted stream; the others carry it.
    if (w.dialect !== 'openai-chat') expect(seen.reasoning).toBe('The user wants the weather.')
    if (w.dialect === 'anthropic') expect(seen.reasoningSignatures).toEqual([{ origin: 'bedrock-converse', value: 'EqQBCkYIBRgCKkBsig==' }])
  })
})

describe.each(DIALECTS)('Converse response → %s client', (client) => {
  it('reads back as the same answer', () => {
    const res = BEDROCK.decodeResponse({
      output: { message: { role: 'assistant', content: [{ text: 'Sunny.' }, { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } }] } },
      stopReason: 'tool_use',
      usage: { inputTokens: 30, outputTokens: 8, totalTokens: 38 },
      metrics: { latencyMs: 250 },
    })
    const back = CODECS[client].decodeResponse(CODECS[client].encodeResponse(res, 'client-model'))
    expect(back.parts.filter((p) => p.type === 'text').map((p) => (p as { text: string }).text).join('')).toBe('Sunny.')
    const call = back.parts.find((p) => p.type === 'tool-call')
    expect(call && call.type === 'tool-call' ? [call.name, JSON.parse(call.arguments)] : undefined).toEqual(['get_weather', { city: 'Paris' }])
    expect(back.finish.unified).toBe('tool-calls')
    expect(back.usage).toMatchObject({ inputTokens: 30, outputTokens: 8 })
  })
})

describe.each(DIALECTS)('Converse errors → %s client', (client) => {
  const cases: Array<[string, number, string, number, boolean]> = [
    ['ThrottlingException', 429, 'rate_limit', 429, true],
    ['ValidationException', 400, 'invalid_request', 400, false],
    ['AccessDeniedException', 403, 'permission', 403, false],
    ['ServiceUnavailableException', 503, 'overloaded', client === 'anthropic' ? 529 : 503, true],
  ]
  it.each(cases)('%s', (type, status, kind, clientStatus, retryable) => {
    const err = BEDROCK.decodeError(status, JSON.stringify({ message: 'Too many requests, please wait before trying again.' }), { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` })
    expect(err.kind).toBe(kind)
    expect(err.retryable).toBe(retryable)
    expect(CODECS[client].encodeError(err).status).toBe(clientStatus)
  })
})
