import { describe, it, expect } from 'vitest'
import { fixtureFiles } from '../../../helpers/fixtures'
import { ctxFromUrl, replay } from './helpers'
import * as geminiCodec from '../../../../server/gateway/dialects/gemini'
import { DUMMY_THOUGHT_SIGNATURE, SYNTHETIC_CALL_ID_PREFIX } from '../../../../server/gateway/dialects/gemini'
import { GatewayError } from '../../../../server/gateway/errors'
import type { IRRequest } from '../../../../server/gateway/ir'

/** Documented normalisations of encodeRequest: an empty generationConfig is not written. */
function normalize(body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body }
  if (out.generationConfig && Object.keys(out.generationConfig as object).length === 0) delete out.generationConfig
  return out
}

const roundTrip = (body: Record<string, unknown>, ctx = { model: 'gemini-2.5-pro', stream: false }) =>
  geminiCodec.encodeRequest(geminiCodec.decodeRequest(structuredClone(body), ctx))

describe('gemini decodeRequest → encodeRequest', () => {
  it('round-trips every request recorded from the official SDK (incl. countTokens)', () => {
    let n = 0
    for (const f of fixtureFiles('gemini-replays', '.json')) {
      for (const i of replay(f.slice('gemini-replays/'.length))) {
        const ctx = ctxFromUrl(i.url)
        const enc = geminiCodec.encodeRequest(geminiCodec.decodeRequest(structuredClone(i.requestBody), ctx))
        expect(enc.body).toEqual(normalize(i.requestBody))
        if (!i.url.endsWith(':countTokens')) expect(i.url.endsWith(enc.path)).toBe(true)
        n++
      }
    }
    expect(n).toBe(9)
  })

  it('reads model and stream from the path, not the body', () => {
    const req = geminiCodec.decodeRequest({ model: 'ignored', contents: [{ parts: [{ text: 'hi' }] }] }, { model: 'models/gemini-2.5-flash', stream: true })
    expect(req.model).toBe('gemini-2.5-flash')
    expect(req.stream).toBe(true)
    expect(req.messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }])
    expect(geminiCodec.encodeRequest(req).path).toBe('models/gemini-2.5-flash:streamGenerateContent?alt=sse')
  })

  const FULL = {
    systemInstruction: { parts: [{ text: 'You are terse.' }, { text: 'Use tools.' }] },
    contents: [
      {
        role: 'user',
        parts: [
          { text: 'What is in these pictures, and the weather in Paris and Oslo?' },
          { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
          { fileData: { mimeType: 'image/jpeg', fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc123' } },
        ],
      },
      {
        role: 'model',
        parts: [
          { text: 'Planning the lookups.', thought: true, thoughtSignature: 'CiQBsigThought==' },
          { text: 'A cat and a dog.' },
          { functionCall: { id: 'fc-1', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'CiQBsigCall==' },
        ],
      },
      { role: 'user', parts: [{ functionResponse: { id: 'fc-1', name: 'get_weather', response: { temperature: 21, unit: 'C' } } }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Oslo' } }, thoughtSignature: 'CiQBsig2==' },
          { functionCall: { name: 'get_time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_time', response: { result: '12:00' } } },
          { functionResponse: { name: 'get_weather', response: { error: 'station offline' } } },
        ],
      },
    ],
    tools: [
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather for a city',
            parameters: {
              type: 'OBJECT',
              properties: {
                city: { type: 'STRING', description: 'City name' },
                units: { type: 'STRING', format: 'enum', enum: ['c', 'f'], nullable: true },
                days: { type: 'ARRAY', items: { type: 'INTEGER', format: 'int32' }, maxItems: '7' },
              },
              required: ['city'],
              propertyOrdering: ['city', 'units', 'days'],
            },
          },
          { name: 'get_time', description: 'Current time' },
        ],
      },
      { googleSearch: {} },
    ],
    toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
    generationConfig: {
      temperature: 0.3,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 2048,
      stopSequences: ['END'],
      candidateCount: 1,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      seed: 7,
      responseMimeType: 'application/json',
      responseSchema: { type: 'OBJECT', properties: { answer: { type: 'STRING' } }, required: ['answer'] },
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
      responseModalities: ['TEXT'],
      mediaResolution: 'MEDIA_RESOLUTION_LOW',
    },
    safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
    cachedContent: 'cachedContents/xyz',
    labels: { team: 'a' },
  }

  it('round-trips a full multi-turn request exactly', () => {
    const enc = roundTrip(FULL)
    expect(enc.body).toEqual(FULL)
    expect(enc.path).toBe('models/gemini-2.5-pro:generateContent')
  })

  it('decodes the full request into the IR', () => {
    const req = geminiCodec.decodeRequest(structuredClone(FULL), { model: 'gemini-2.5-pro' })
    expect(req.system).toEqual([{ type: 'text', text: 'You are terse.' }, { type: 'text', text: 'Use tools.' }])
    expect(req.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user'])
    expect(req.messages[0]!.parts[1]).toEqual({ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } })
    expect(req.messages[0]!.parts[2]).toEqual({
      type: 'image',
      source: { kind: 'url', url: 'https://generativelanguage.googleapis.com/v1beta/files/abc123', mediaType: 'image/jpeg' },
    })
    expect(req.messages[1]!.parts).toEqual([
      { type: 'reasoning', text: 'Planning the lookups.', signature: { origin: 'gemini', value: 'CiQBsigThought==' } },
      { type: 'text', text: 'A cat and a dog.' },
      { type: 'tool-call', id: 'fc-1', name: 'get_weather', arguments: '{"city":"Paris"}', signature: { origin: 'gemini', value: 'CiQBsigCall==' } },
    ])
    expect(req.messages[2]!.parts).toEqual([
      { type: 'tool-result', callId: 'fc-1', name: 'get_weather', content: [{ type: 'text', text: '{"temperature":21,"unit":"C"}' }] },
    ])
    // id-less calls get deterministic synthetic ids; answers pair by name in order
    const [oslo, time] = req.messages[3]!.parts as Array<{ id: string }>
    expect(oslo!.id).toBe(`${SYNTHETIC_CALL_ID_PREFIX}0`)
    expect(time!.id).toBe(`${SYNTHETIC_CALL_ID_PREFIX}1`)
    expect(req.messages[4]!.parts).toEqual([
      { type: 'tool-result', callId: time!.id, name: 'get_time', content: [{ type: 'text', text: '12:00' }] },
      { type: 'tool-result', callId: oslo!.id, name: 'get_weather', content: [{ type: 'text', text: 'station offline' }], isError: true },
    ])
    expect(req.tools![0]!.parameters).toEqual({
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name' },
        units: { type: ['string', 'null'], format: 'enum', enum: ['c', 'f'] },
        days: { type: 'array', items: { type: 'integer', format: 'int32' }, maxItems: '7' },
      },
      required: ['city'],
      propertyOrdering: ['city', 'units', 'days'],
    })
    expect(req.tools![1]).toEqual({ name: 'get_time', description: 'Current time', parameters: { type: 'object', properties: {} } })
    expect(req.toolChoice).toEqual({ type: 'tool', name: 'get_weather' })
    expect(req.reasoning).toEqual({ enabled: true, budgetTokens: 1024 })
    expect(req.responseFormat).toEqual({
      type: 'json-schema',
      schema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] },
    })
    expect(req).toMatchObject({ temperature: 0.3, topP: 0.9, topK: 40, maxTokens: 2048, stopSequences: ['END'], seed: 7, candidateCount: 1 })
    expect(req.extras?.gemini).toEqual({
      safetySettings: FULL.safetySettings,
      cachedContent: 'cachedContents/xyz',
      labels: { team: 'a' },
      tools: [{ googleSearch: {} }],
      generationConfig: { responseModalities: ['TEXT'], mediaResolution: 'MEDIA_RESOLUTION_LOW', thinkingConfig: { includeThoughts: true } },
    })
    expect(req.warnings?.map((w) => w.message)).toEqual(['tools[1]: googleSearch kept for a Gemini upstream only'])
  })

  it('maps thinking and tool-choice variants', () => {
    const dec = (generationConfig: object, toolConfig?: object) =>
      geminiCodec.decodeRequest({ contents: [], generationConfig, ...(toolConfig ? { toolConfig } : {}) }, { model: 'g' })
    expect(dec({ thinkingConfig: { thinkingBudget: 0 } }).reasoning).toEqual({ enabled: false })
    expect(dec({ thinkingConfig: { thinkingBudget: -1 } }).reasoning).toEqual({ enabled: true, visible: false }) // thinks, shows nothing
    expect(dec({ thinkingConfig: { thinkingLevel: 'LOW', includeThoughts: true } }).reasoning).toEqual({ enabled: true, effort: 'low' })
    expect(dec({ responseMimeType: 'application/json' }).responseFormat).toEqual({ type: 'json' })
    const js = dec({ responseMimeType: 'application/json', responseJsonSchema: { type: 'object', additionalProperties: false } })
    expect(js.responseFormat).toEqual({ type: 'json-schema', schema: { type: 'object', additionalProperties: false } })
    expect(dec({}, { functionCallingConfig: { mode: 'AUTO' } }).toolChoice).toEqual({ type: 'auto' })
    expect(dec({}, { functionCallingConfig: { mode: 'NONE' } }).toolChoice).toEqual({ type: 'none' })
    expect(dec({}, { functionCallingConfig: { mode: 'ANY' } }).toolChoice).toEqual({ type: 'required' })
    const v = dec({}, { functionCallingConfig: { mode: 'VALIDATED' } })
    expect(v.toolChoice).toEqual({ type: 'auto' })
    for (const body of [
      { contents: [], generationConfig: { thinkingConfig: { thinkingBudget: -1, includeThoughts: true } } },
      { contents: [], generationConfig: { thinkingConfig: { thinkingLevel: 'HIGH' } } },
      { contents: [], generationConfig: { responseMimeType: 'application/json', responseJsonSchema: { type: 'object', additionalProperties: false } } },
      { contents: [], generationConfig: { responseMimeType: 'text/x.enum', responseSchema: { type: 'STRING', enum: ['a'] } } },
      { contents: [], toolConfig: { functionCallingConfig: { mode: 'VALIDATED' } } },
      { contents: [], toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['a', 'b'] } } },
      { contents: [], tools: [{ functionDeclarations: [{ name: 'a', parametersJsonSchema: { type: 'object', properties: { x: { $ref: '#/$defs/X' } }, $defs: { X: { type: 'string' } } } }] }] },
      { contents: [{ role: 'user', parts: [{ text: 'x' }] }], systemInstruction: { parts: [{ text: 's' }] } },
    ]) {
      expect(roundTrip(body).body).toEqual(body)
    }
  })

  it('rejects bad input with errors naming the field', () => {
    const dec = (body: unknown) => () => geminiCodec.decodeRequest(body, { model: 'g' })
    const pdf = { contents: [{ role: 'user', parts: [{ text: 'x' }, { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } }] }] }
    // Documents are carried (the target decides at encode time); only a missing MIME type is refused here.
    expect(dec(pdf)().messages[0]!.parts[1]).toEqual({ type: 'file', mediaType: 'application/pdf', source: { kind: 'base64', data: 'JVBERi0=' }, at: 'contents[0].parts[1]' })
    const pdfUrl = { contents: [{ parts: [{ fileData: { mimeType: 'application/pdf', fileUri: 'https://x.test/a.pdf' } }] }] }
    expect(dec(pdfUrl)().messages[0]!.parts[0]).toMatchObject({ type: 'file', source: { kind: 'url', url: 'https://x.test/a.pdf' } })
    expect(dec({ contents: [{ parts: [{ fileData: { fileUri: 'https://x.test/a.bin' } }] }] })).toThrowError(
      expect.objectContaining({ kind: 'invalid_request', message: 'contents[0].parts[0].fileData.mimeType: required for a file that is not an image' }),
    )
    const guessed = geminiCodec.decodeRequest({ contents: [{ parts: [{ fileData: { fileUri: 'https://x.test/cat.webp' } }] }] }, { model: 'g' })
    expect(guessed.messages[0]!.parts[0]).toEqual({ type: 'image', source: { kind: 'url', url: 'https://x.test/cat.webp', mediaType: 'image/webp' } })
    const code = geminiCodec.decodeRequest({ contents: [{ role: 'model', parts: [{ executableCode: { code: 'print(1)' } }, { text: 'done' }] }] }, { model: 'g' })
    expect(code.messages[0]!.parts).toEqual([{ type: 'text', text: 'done' }])
    expect(code.warnings?.map((w) => w.message)).toEqual(['contents[0].parts[0]: code execution parts are not carried by the gateway; dropped'])
    expect(dec({ contents: [{ role: 'system', parts: [] }] })).toThrowError(expect.objectContaining({ kind: 'invalid_request', message: "contents[0].role: unknown role 'system'" }))
    expect(dec({ contents: [{ parts: [{ foo: 1 }] }] })).toThrowError(expect.objectContaining({ kind: 'invalid_request', message: 'contents[0].parts[0]: unknown part with keys foo' }))
    expect(dec({ contents: [], generationConfig: { temperature: 'hot' } })).toThrowError(expect.objectContaining({ message: 'generationConfig.temperature: expected a number' }))
    expect(dec({ contents: 'hi' })).toThrowError(expect.objectContaining({ kind: 'invalid_request', param: 'contents' }))
    expect(dec('nope')).toThrowError(GatewayError)
  })
})

describe('gemini encodeRequest from other dialects', () => {
  const base = (over: Partial<IRRequest>): IRRequest => ({ model: 'models/gemini-3-pro-preview', stream: true, system: [], messages: [], ...over })

  it('signatures: keeps Gemini ones, drops foreign reasoning, adds the documented dummy on the first unsigned call', () => {
    const req = base({
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'look', cacheControl: { type: 'ephemeral' } },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/a/cat.PNG?x=1' } },
            { type: 'image', source: { kind: 'url', url: 'data:image/webp;base64,UklGRg==' } },
          ],
        },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'claude thoughts', signature: { origin: 'anthropic', value: 'EqQB' } },
            { type: 'reasoning', text: '', redactedData: 'opaque' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool-call', id: 'toolu_01', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { type: 'tool-call', id: 'toolu_02', name: 'get_weather', arguments: 'not json' },
          ],
        },
        {
          role: 'user',
          parts: [
            { type: 'tool-result', callId: 'toolu_01', content: [{ type: 'text', text: '{"t":21}' }] },
            { type: 'tool-result', callId: 'toolu_02', content: [{ type: 'text', text: 'failed' }], isError: true },
            { type: 'text', text: 'and now?' },
          ],
        },
        {
          role: 'assistant',
          parts: [
            { type: 'tool-call', id: 'gmcall_5f3a', name: 'get_time', arguments: '{}', signature: { origin: 'gemini', value: 'GSIG' } },
          ],
        },
        { role: 'user', parts: [{ type: 'tool-result', callId: 'gmcall_5f3a', content: [{ type: 'text', text: 'noon' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAA' } }] }] },
      ],
      tools: [
        { name: 'get_weather', description: 'w', parameters: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } },
        { name: 'get_time', parameters: { type: 'object', properties: {} } },
      ],
      toolChoice: { type: 'required' },
      reasoning: { enabled: true, budgetTokens: 2000 },
      maxTokens: 500,
      stopSequences: ['\n\n'],
      user: 'u1',
    })
    const { path, body } = geminiCodec.encodeRequest(req)
    expect(path).toBe('models/gemini-3-pro-preview:streamGenerateContent?alt=sse')
    expect(body).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'look' },
            { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/a/cat.PNG?x=1' } },
            { inlineData: { mimeType: 'image/webp', data: 'UklGRg==' } },
          ],
        },
        {
          role: 'model',
          parts: [
            { text: 'Checking.' },
            { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: DUMMY_THOUGHT_SIGNATURE },
            { functionCall: { name: 'get_weather', args: {} } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { t: 21 } } },
            { functionResponse: { name: 'get_weather', response: { error: 'failed' } } },
            { text: 'and now?' },
          ],
        },
        { role: 'model', parts: [{ functionCall: { name: 'get_time', args: {} }, thoughtSignature: 'GSIG' }] },
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'get_time', response: { result: 'noon' }, parts: [{ inlineData: { mimeType: 'image/png', data: 'AAA' } }] } }],
        },
      ],
      tools: [
        {
          functionDeclarations: [
            { name: 'get_weather', description: 'w', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] } },
            { name: 'get_time' },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
      generationConfig: { maxOutputTokens: 500, stopSequences: ['\n\n'], thinkingConfig: { thinkingBudget: 2000, includeThoughts: true } },
    })
    expect(req.warnings?.map((w) => w.message)).toEqual([
      'reasoning from another vendor dropped: Gemini cannot verify it',
      'reasoning from another vendor dropped: Gemini cannot verify it',
      'tool call toolu_02: arguments are not valid JSON; sent as {}',
      'user id is not supported by Gemini; dropped',
    ])
  })

  it('reasoning, tool choice and response format mappings', () => {
    const gen = (over: Partial<IRRequest>) => geminiCodec.encodeRequest(base(over)).body
    expect(gen({ reasoning: { enabled: false } }).generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 0 } })
    expect(gen({ reasoning: { enabled: true, effort: 'medium' } }).generationConfig).toEqual({ thinkingConfig: { thinkingLevel: 'MEDIUM', includeThoughts: true } })
    expect(gen({ reasoning: { enabled: true } }).generationConfig).toEqual({ thinkingConfig: { includeThoughts: true } })
    expect(gen({ toolChoice: { type: 'tool', name: 'x' } }).toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['x'] } })
    expect(gen({ toolChoice: { type: 'none' } }).toolConfig).toEqual({ functionCallingConfig: { mode: 'NONE' } })
    expect(gen({ toolChoice: { type: 'auto' } }).toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } })
    expect(gen({ responseFormat: { type: 'json' } }).generationConfig).toEqual({ responseMimeType: 'application/json' })
    expect(
      gen({
        responseFormat: {
          type: 'json-schema',
          name: 'answer',
          schema: { type: 'object', properties: { kind: { const: 'a' }, n: { type: ['integer', 'null'] } }, additionalProperties: false },
        },
      }).generationConfig,
    ).toEqual({
      responseMimeType: 'application/json',
      responseSchema: { type: 'OBJECT', properties: { kind: { type: 'STRING', enum: ['a'] }, n: { type: 'INTEGER', nullable: true } } },
    })
  })
})
