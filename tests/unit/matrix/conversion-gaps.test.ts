import { describe, it, expect } from 'vitest'
import { GatewayError } from '../../../server/gateway/errors'
import type { IRStreamEvent } from '../../../server/gateway/ir'
import { CODECS } from '../../../server/gateway/registry'
import { fixtureChunks, fixtureJson } from '../../helpers/fixtures'
import { codes, encodeFor, type J } from './conversion-gaps-support'
import { decodeStream, encodeStream, parseSSE } from './helpers'

/** The conversion gaps of issue 14 (item 7) in requests, each on the wire the upstream sees. */

const chat = CODECS['openai-chat']
const responses = CODECS['openai-responses']
const anthropic = CODECS.anthropic
const gemini = CODECS.gemini

describe('to a Responses upstream', () => {
  it('raises max_output_tokens below 16 to 16, with a warning; leaves 16 and above alone', () => {
    const low = encodeFor(anthropic.decodeRequest({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }), 'openai-responses')
    expect(low.body.max_output_tokens).toBe(16)
    expect(codes(low.ir)).toEqual(['raised=max_output_tokens'])
    const ok = encodeFor(anthropic.decodeRequest({ model: 'm', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }), 'openai-responses')
    expect(ok.body.max_output_tokens).toBe(16)
    expect(ok.ir.warnings).toEqual([])
  })

  it('asks for a reasoning summary when thinking is on, so Anthropic and Gemini clients get thinking text', () => {
    const fromAnthropic = encodeFor(
      anthropic.decodeRequest({ model: 'm', max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 2048 }, messages: [{ role: 'user', content: 'hi' }] }),
      'openai-responses',
    )
    expect(fromAnthropic.body.reasoning).toEqual({ effort: 'medium', summary: 'auto' })
    const fromGemini = encodeFor(
      gemini.decodeRequest({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { thinkingConfig: { includeThoughts: true, thinkingLevel: 'HIGH' } } }, { model: 'm' }),
      'openai-responses',
    )
    expect(fromGemini.body.reasoning).toEqual({ effort: 'high', summary: 'auto' })
    // A Gemini client that thinks without includeThoughts asked not to see the thinking: no summary.
    const hidden = encodeFor(gemini.decodeRequest({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { thinkingConfig: { thinkingLevel: 'HIGH' } } }, { model: 'm' }), 'openai-responses')
    expect(hidden.body.reasoning).toEqual({ effort: 'high' })
    const off = encodeFor(anthropic.decodeRequest({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }), 'openai-responses')
    expect(off.body.reasoning).toBeUndefined()
    const disabled = encodeFor(chat.decodeRequest({ model: 'o4', reasoning_effort: 'none', messages: [{ role: 'user', content: 'hi' }] }), 'openai-responses')
    expect(disabled.body.reasoning).toEqual({ effort: 'none' })

    // ... and the summary the upstream then streams reaches an Anthropic client as thinking.
    const up = decodeStream(responses, fixtureChunks('openai-responses/vercel-openai-reasoning-encrypted-content.1.chunks.txt').map((c) => ({ event: c.type, data: JSON.stringify(c) })))
    const summary = up.filter((e): e is Extract<IRStreamEvent, { type: 'reasoning-delta' }> => e.type === 'reasoning-delta').map((e) => e.text).join('')
    expect(summary.length).toBeGreaterThan(0)
    const wire = parseSSE(encodeStream(anthropic, up)).map((m) => JSON.parse(m.data))
    const thinking = wire.filter((e) => e.type === 'content_block_delta' && e.delta.type === 'thinking_delta').map((e) => e.delta.thinking).join('')
    expect(thinking).toBe(summary)
  })

  it('sends tools with strict: false unless the client asked for strict', () => {
    const ir = chat.decodeRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [
        { type: 'function', function: { name: 'loose', parameters: { type: 'object', properties: {} } } },
        { type: 'function', function: { name: 'tight', strict: true, parameters: { type: 'object', properties: {}, additionalProperties: false } } },
        { type: 'function', function: { name: 'said-no', strict: false, parameters: { type: 'object', properties: {} } } },
      ],
    })
    const { body } = encodeFor(ir, 'openai-responses')
    expect(body.tools.map((t: J) => [t.name, t.strict])).toEqual([['loose', false], ['tight', true], ['said-no', false]])
    const fromAnthropic = encodeFor(
      anthropic.decodeRequest({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], tools: [{ name: 'x', input_schema: { type: 'object' } }] }),
      'openai-responses',
    )
    expect(fromAnthropic.body.tools[0].strict).toBe(false)
  })
})

describe('OpenAI Chat n > 1', () => {
  const req = (extra: J = {}) => chat.decodeRequest({ model: 'm', n: 2, messages: [{ role: 'user', content: 'name a colour' }], ...extra })

  it('Gemini upstream: candidateCount, and every candidate comes back as a choice', () => {
    const { body } = encodeFor(req(), 'gemini')
    expect(body.generationConfig.candidateCount).toBe(2)
    const upstream = {
      candidates: [
        { content: { role: 'model', parts: [{ text: 'Red' }] }, finishReason: 'STOP', index: 0 },
        { content: { role: 'model', parts: [{ text: 'Blue' }] }, finishReason: 'MAX_TOKENS', index: 1 },
      ],
      usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'r1',
    }
    const out = chat.encodeResponse(gemini.decodeResponse(upstream), 'm') as J
    expect(out.choices.map((c: J) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, 'Red', 'stop'],
      [1, 'Blue', 'length'],
    ])
    expect(out.usage.completion_tokens).toBe(2)
  })

  it('a Gemini client asking candidateCount 2 of a Chat upstream gets both candidates', () => {
    const ir = gemini.decodeRequest({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { candidateCount: 2 } }, { model: 'm' })
    expect(encodeFor(ir, 'openai-chat').body.n).toBe(2)
    const upstream = {
      id: 'c1',
      object: 'chat.completion',
      created: 1,
      model: 'gpt',
      choices: [
        { index: 1, message: { role: 'assistant', content: 'Two' }, finish_reason: 'stop' },
        { index: 0, message: { role: 'assistant', content: 'One' }, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    }
    const out = gemini.encodeResponse(chat.decodeResponse(upstream), 'm') as J
    expect(out.candidates.map((c: J) => [c.index, c.content.parts[0].text])).toEqual([
      [0, 'One'],
      [1, 'Two'],
    ])
  })

  it('Anthropic and Responses upstreams: a 400 in the client dialect naming n, before anything is sent', () => {
    for (const up of ['anthropic', 'openai-responses'] as const) {
      let err: unknown
      try {
        encodeFor(req(), up)
      } catch (e) {
        err = e
      }
      expect(GatewayError.is(err)).toBe(true)
      const wire = chat.encodeError(err as GatewayError)
      expect(wire.status).toBe(400)
      expect((wire.body as J).error.param).toBe('n')
      expect((wire.body as J).error.message).toMatch(/^n: 2 answers/)
    }
    // n = 1 is fine everywhere.
    expect(() => encodeFor(chat.decodeRequest({ model: 'm', n: 1, messages: [{ role: 'user', content: 'x' }] }), 'anthropic')).not.toThrow()
  })

  it('streamed n > 1 across dialects is refused (the stream IR carries one answer)', () => {
    expect(() => encodeFor(req({ stream: true }), 'gemini')).toThrow(/stream: false/)
  })
})

describe('a system message in the middle of a conversation', () => {
  const messages = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'a' },
    { role: 'assistant', content: 'b' },
    { role: 'system', content: 'Now answer in French.' },
    { role: 'user', content: 'c' },
  ]

  it('stays in place for OpenAI Chat and Responses upstreams, without a warning', () => {
    const ir = chat.decodeRequest({ model: 'm', messages })
    const toChat = encodeFor(ir, 'openai-chat')
    expect(toChat.body.messages.map((m: J) => m.role)).toEqual(['system', 'user', 'assistant', 'system', 'user'])
    expect(toChat.body.messages[3].content).toBe('Now answer in French.')
    expect(toChat.ir.warnings).toEqual([])
    const toResponses = encodeFor(ir, 'openai-responses')
    expect(toResponses.body.instructions).toBe('Be brief.')
    expect(toResponses.body.input.map((m: J) => m.role)).toEqual(['user', 'assistant', 'system', 'user'])
    expect(toResponses.body.input[2].content).toEqual([{ type: 'input_text', text: 'Now answer in French.' }])
  })

  it('a Responses client developer item mid-conversation stays a developer turn for a Chat upstream', () => {
    const ir = responses.decodeRequest({
      model: 'm',
      input: [
        { type: 'message', role: 'user', content: 'a' },
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'dev note' }] },
        { type: 'message', role: 'user', content: 'b' },
      ],
    })
    expect(encodeFor(ir, 'openai-chat').body.messages).toEqual([
      { role: 'user', content: 'a' },
      { role: 'developer', content: 'dev note' },
      { role: 'user', content: 'b' },
    ])
  })

  it('moves into the system prompt for Anthropic and Gemini, warned as moved=messages[3]', () => {
    const ir = chat.decodeRequest({ model: 'm', messages })
    const toAnthropic = encodeFor(ir, 'anthropic')
    expect(toAnthropic.body.system).toEqual([
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Now answer in French.' },
    ])
    expect(toAnthropic.body.messages.map((m: J) => m.role)).toEqual(['user', 'assistant', 'user'])
    expect(codes(toAnthropic.ir)).toEqual(['moved=messages[3]'])
    const toGemini = encodeFor(ir, 'gemini')
    expect(toGemini.body.systemInstruction.parts.map((p: J) => p.text)).toEqual(['Be brief.', 'Now answer in French.'])
    expect(codes(toGemini.ir)).toEqual(['moved=messages[3]'])
  })
})

describe('Gemini-style upper-case schema types', () => {
  it("Gemini CLI's router call: responseJsonSchema becomes JSON Schema for every other upstream", () => {
    const ir = gemini.decodeRequest(fixtureJson('agent-cli-requests/gemini-cli-router.request.json'), { model: 'gemini-2.5-flash-lite' })
    const expected = {
      type: 'object',
      properties: {
        reasoning: { type: 'string', description: 'A brief, step-by-step explanation for the model choice, referencing the rubric.' },
        model_choice: { type: 'string', enum: ['flash', 'pro'] },
      },
      required: ['reasoning', 'model_choice'],
    }
    expect(encodeFor(ir, 'openai-chat').body.response_format.json_schema.schema).toEqual(expected)
    expect(encodeFor(ir, 'openai-responses').body.text.format.schema).toEqual(expected)
    expect(encodeFor(ir, 'anthropic').body.output_config.format.schema).toEqual(expected)
  })

  it('parametersJsonSchema and parameters (any case) become lower-case JSON Schema tools', () => {
    const ir = gemini.decodeRequest(fixtureJson('agent-cli-requests/gemini-cli-tool-turn.request.json'), { model: 'm' })
    const params = { type: 'object', properties: { absolute_path: { type: 'string', description: 'The absolute path to the file to read.' } }, required: ['absolute_path'] }
    expect(encodeFor(ir, 'anthropic').body.tools[0].input_schema).toEqual(params)
    expect(encodeFor(ir, 'openai-chat').body.tools[0].function.parameters).toEqual(params)
    const nested = gemini.decodeRequest(
      {
        contents: [{ role: 'user', parts: [{ text: 'x' }] }],
        tools: [
          {
            functionDeclarations: [
              {
                name: 'f',
                parametersJsonSchema: {
                  type: 'OBJECT',
                  properties: { list: { type: 'ARRAY', items: { anyOf: [{ type: 'INTEGER' }, { type: ['STRING', 'NULL'] }] } }, type: { type: 'BOOLEAN', enum: ['OBJECT'] } },
                  $defs: { d: { type: 'NUMBER' } },
                },
              },
              { name: 'g', parameters: { type: 'OBJECT', properties: { n: { type: 'NUMBER', nullable: true } } } },
            ],
          },
        ],
      },
      { model: 'm' },
    )
    expect(nested.tools![0]!.parameters).toEqual({
      type: 'object',
      properties: { list: { type: 'array', items: { anyOf: [{ type: 'integer' }, { type: ['string', 'null'] }] } }, type: { type: 'boolean', enum: ['OBJECT'] } },
      $defs: { d: { type: 'number' } },
    })
    expect(nested.tools![1]!.parameters).toEqual({ type: 'object', properties: { n: { type: ['number', 'null'] } } })
  })
})
