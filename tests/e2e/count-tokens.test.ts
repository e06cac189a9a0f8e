import { describe, expect, it } from 'vitest'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { GoogleGenAI } from '@google/genai'
import { CLIENT_KEY } from './support/server'
import { useGateway } from './support/setup'

const gw = useGateway()
const anthropic = () => new Anthropic({ apiKey: CLIENT_KEY, baseURL: gw.server.url, maxRetries: 0 })
const genai = () => new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: gw.server.url } })

const weatherTool = { name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } }

describe('Anthropic SDK messages.countTokens', () => {
  it('→ Anthropic upstream: its own count_tokens, client headers passed through', async () => {
    const { result, sent: [sent] } = await gw.mock.during(() => anthropic().messages.countTokens(
      { model: 'an-count', system: 'Be brief.', messages: [{ role: 'user', content: 'Hello there' }], tools: [weatherTool] },
      { headers: { 'anthropic-beta': 'token-counting-2024-11-01', 'x-claude-code-session-id': 'sess-123' } },
    ))
    expect(result).toEqual({ input_tokens: 17 })
    expect(sent!.path).toBe('/anthropic/v1/messages/count_tokens')
    expect(sent!.body).toMatchObject({ model: 'an-count', system: 'Be brief.', messages: [{ role: 'user', content: 'Hello there' }] })
    expect(sent!.headers['anthropic-beta']).toBe('token-counting-2024-11-01')
    // the SDK's own version, as it sent it
    expect(sent!.headers['anthropic-version']).toMatch(/^\d{4}-\d\d-\d\d$/)
    expect(Object.keys(sent!.headers).filter((h) => h.startsWith('x-stainless') || h === 'x-claude-code-session-id')).toEqual([])
    expect(String(sent!.headers['user-agent'] ?? '')).not.toMatch(/Anthropic/i)
  })

  it('→ Gemini upstream: converted to :countTokens with a generateContentRequest', async () => {
    const { result, sent: [sent] } = await gw.mock.during(() => anthropic().messages.countTokens({ model: 'gm-count', system: 'Be brief.', messages: [{ role: 'user', content: 'Hello there' }] }))
    expect(result).toEqual({ input_tokens: 23 })
    expect(sent!.path).toBe('/gemini/v1beta/models/gm-count:countTokens')
    expect(sent!.body.generateContentRequest).toMatchObject({
      model: 'models/gm-count',
      contents: [{ role: 'user', parts: [{ text: 'Hello there' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
    })
    // Gemini never sees Anthropic headers
    expect(sent!.headers['anthropic-version']).toBeUndefined()
  })

  it.each(['oa', 'rs'])('→ %s (OpenAI) upstream: a local tokenizer estimate, no upstream call', async (prefix) => {
    const before = gw.mock.requests.length
    const short = await anthropic().messages.countTokens({ model: `${prefix}-count`, messages: [{ role: 'user', content: 'Hello' }] })
    const long = await anthropic().messages.countTokens({ model: `${prefix}-count`, messages: [{ role: 'user', content: 'Hello '.repeat(200) }] })
    expect(gw.mock.requests.length).toBe(before)
    // o200k: "Hello" is one token, plus the per-message and priming overhead
    expect(short.input_tokens).toBe(7)
    expect(long.input_tokens).toBeGreaterThan(200)
  })

  it('an upstream error comes back in Anthropic shape', async () => {
    const err = await anthropic().messages.countTokens({ model: 'an-e400', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e)
    expect(err).toBeInstanceOf(Anthropic.BadRequestError)
    expect(err.message).toContain('mock anthropic says e400')
  })
})

describe('Gemini SDK models.countTokens', () => {
  it('→ Gemini upstream: passed through', async () => {
    const { result, sent: [sent] } = await gw.mock.during(() => genai().models.countTokens({ model: 'gm-count', contents: 'How many tokens?' }))
    expect(result.totalTokens).toBe(23)
    expect(sent!.path).toBe('/gemini/v1beta/models/gm-count:countTokens')
    expect(sent!.body.contents[0].parts[0].text).toBe('How many tokens?')
  })

  it('→ Anthropic upstream: converted to messages/count_tokens (no max_tokens, no stream)', async () => {
    const { result, sent: [sent] } = await gw.mock.during(() => genai().models.countTokens({ model: 'an-count', contents: 'How many tokens?' }))
    expect(result.totalTokens).toBe(17)
    expect(sent!.path).toBe('/anthropic/v1/messages/count_tokens')
    expect(sent!.body).toEqual({ model: 'an-count', messages: [{ role: 'user', content: 'How many tokens?' }] })
  })

  it('→ OpenAI upstream: a local estimate', async () => {
    const before = gw.mock.requests.length
    const r = await genai().models.countTokens({ model: 'oa-count', contents: 'Hello' })
    expect(r.totalTokens).toBe(7)
    expect(gw.mock.requests.length).toBe(before)
  })
})

describe('headers agent clients rely on', () => {
  it('a converted request to Anthropic keeps the client anthropic-beta flags, merged with its own; others never see them', async () => {
    const oa = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${gw.server.url}/v1`, maxRetries: 0 })
    await oa.chat.completions.create({ model: 'an-text', messages: [{ role: 'user', content: 'Hi' }] }, { headers: { 'anthropic-beta': 'interleaved-thinking-2025-05-14', 'anthropic-version': '2023-06-01' } })
    const sent = gw.mock.last('anthropic')
    expect(sent.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14')
    expect(Object.keys(sent.headers).filter((h) => h.startsWith('x-stainless'))).toEqual([])
    await oa.chat.completions.create({ model: 'gm-text', messages: [{ role: 'user', content: 'Hi' }] }, { headers: { 'anthropic-beta': 'x', 'anthropic-version': '2023-06-01' } })
    const g = gw.mock.last('gemini')
    expect([g.headers['anthropic-beta'], g.headers['anthropic-version']]).toEqual([undefined, undefined])
  })
})
