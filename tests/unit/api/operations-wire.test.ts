import { describe, expect, it } from 'vitest'
import type { IncomingMessage } from 'node:http'
import { estimateTokens } from '../../../server/gateway/count-tokens/estimate'
import { CODECS } from '../../../server/gateway/registry'
import { decodeGeminiEmbed, decodeOpenAIEmbed, encodeGeminiUpstream, encodeOpenAIResult, fromBase64, toBase64, decodeOpenAIResult } from '../../../server/gateway/embeddings/wire'
import { anthropicHeaders } from '../../../server/gateway/upstream/anthropic-headers'
import { embeddingsOperation } from '../../../server/gateway/embeddings/operation'
import { countTokensOperation } from '../../../server/gateway/count-tokens/operation'
import { doorFor } from '../../../server/gateway/http/doors'
import { PROVIDER_TRANSPORTS } from '../../../server/gateway/providers'
import type { ProviderType } from '../../../shared/schemas/config-file'

describe('the local tokenizer estimate (OpenAI upstreams have no counting endpoint)', () => {
  const ir = (body: unknown) => CODECS.anthropic.decodeRequest({ max_tokens: 1, model: 'm', ...(body as object) }, { model: 'm' })
  it('counts o200k tokens plus per-message overhead', async () => {
    expect(await estimateTokens(ir({ messages: [{ role: 'user', content: 'Hello' }] }))).toBe(7)
    expect(await estimateTokens(ir({ system: 'Be brief.', messages: [{ role: 'user', content: 'Hello' }] }))).toBe(7 + 3 + 3) // 'Be brief.' is three o200k tokens
    expect(await estimateTokens(ir({ messages: [{ role: 'user', content: 'Hello '.repeat(100) }] }))).toBe(3 + 3 + 101) // 'Hello', 99 × ' Hello' and the trailing space
  })
  it('counts tools, tool calls and images', async () => {
    const base = await estimateTokens(ir({ messages: [{ role: 'user', content: 'Hi' }] }))
    const withTool = await estimateTokens(ir({ messages: [{ role: 'user', content: 'Hi' }], tools: [{ name: 'get_weather', input_schema: { type: 'object' } }] }))
    expect(withTool).toBeGreaterThan(base + 5)
    const withImage = await estimateTokens(ir({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] }] }))
    expect(withImage).toBe(base + 765)
  })
  it('answers OpenAI targets locally, never Anthropic or Gemini ones', () => {
    const t = (type: ProviderType) => ({ provider: { transport: PROVIDER_TRANSPORTS[type], options: {} }, model: 'm' }) as any
    expect((['openai', 'openai-responses', 'anthropic', 'gemini'] as const).map((d) => countTokensOperation.local(t(d)))).toEqual([true, true, false, false])
  })
})

describe('embeddings wire', () => {
  it('decodes every OpenAI input shape', () => {
    expect(decodeOpenAIEmbed({ input: 'a' }).inputs).toEqual(['a'])
    expect(decodeOpenAIEmbed({ input: ['a', 'b'], dimensions: 8, encoding_format: 'base64' })).toEqual({ inputs: ['a', 'b'], dimensions: 8, encoding: 'base64' })
    expect(decodeOpenAIEmbed({ input: [1, 2] }).inputs).toEqual([[1, 2]])
    expect(decodeOpenAIEmbed({ input: [[1], [2, 3]] }).inputs).toEqual([[1], [2, 3]])
    expect(() => decodeOpenAIEmbed({ input: [] })).toThrow('input: expected a string')
    expect(() => decodeOpenAIEmbed({ input: 'a', dimensions: 0 })).toThrow('dimensions: expected a positive integer')
    expect(() => decodeOpenAIEmbed({ input: 'a', encoding_format: 'int8' })).toThrow("encoding_format: expected 'float' or 'base64'")
  })
  it('decodes Gemini single and batch bodies; a batch must agree on its settings', () => {
    expect(decodeGeminiEmbed({ content: { parts: [{ text: 'a' }, { text: 'b' }] }, taskType: 'RETRIEVAL_QUERY', outputDimensionality: 4 }, false)).toEqual({
      inputs: ['a\nb'], encoding: 'float', dimensions: 4, taskType: 'RETRIEVAL_QUERY',
    })
    const batch = { requests: [{ content: { parts: [{ text: 'x' }] }, outputDimensionality: 2 }, { content: { parts: [{ text: 'y' }] }, outputDimensionality: 3 }] }
    expect(() => decodeGeminiEmbed(batch, true)).toThrow('requests[1].outputDimensionality: every request in a batch must ask the same outputDimensionality')
  })
  it('maps dimensions and task type to Gemini and refuses token arrays there', () => {
    const r = { inputs: ['a'], encoding: 'float' as const, dimensions: 5, taskType: 'CLUSTERING', title: 'T' }
    expect(encodeGeminiUpstream(r, ['a'], 'text-embedding-004', 'input')).toEqual({
      body: { requests: [{ model: 'models/text-embedding-004', content: { parts: [{ text: 'a' }] }, taskType: 'CLUSTERING', title: 'T', outputDimensionality: 5 }] },
    })
    expect(() => encodeGeminiUpstream(r, [[1, 2]], 'g', 'input')).toThrow('input: token arrays cannot be sent to gemini; send text')
  })
  it('base64 is little-endian float32, both ways, and the OpenAI result carries usage', () => {
    expect(toBase64([1])).toBe('AACAPw==')
    expect(fromBase64(toBase64([0.5, -1]))).toEqual([0.5, -1])
    const res = encodeOpenAIResult([[0.5]], { inputs: ['a'], encoding: 'base64' }, 'm', 3)
    expect(res).toEqual({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: 'AAAAPw==' }], model: 'm', usage: { prompt_tokens: 3, total_tokens: 3 } })
    expect(decodeOpenAIResult({ data: [{ index: 1, embedding: [2] }, { index: 0, embedding: 'AAAAPw==' }], usage: { prompt_tokens: 4 } }, 2)).toEqual({ vectors: [[0.5], [2]], inputTokens: 4 })
  })
  it('refuses Anthropic targets with the provider named', () => {
    const err = embeddingsOperation.refuse({ provider: { id: 'claude', transport: PROVIDER_TRANSPORTS.anthropic, options: {} }, model: 'c' } as any)
    expect([err?.kind, err?.status, err?.message]).toEqual(['unsupported', 400, "embeddings cannot be sent to provider 'claude' (anthropic): Anthropic has no embeddings API"])
    expect(embeddingsOperation.refuse({ provider: { id: 'g', transport: PROVIDER_TRANSPORTS.gemini, options: {} }, model: 'e' } as any)).toBeUndefined()
  })
})

describe('doors for the operations', () => {
  it.each([
    ['/v1/embeddings', { dialect: 'openai-chat', query: '', op: 'embeddings' }],
    ['/v1/messages/count_tokens?beta=true', { dialect: 'anthropic', query: 'beta=true', op: 'count_tokens' }],
    ['/v1beta/models/text-embedding-004:embedContent', { dialect: 'gemini', query: '', op: 'embeddings', gemini: { model: 'text-embedding-004', stream: false, sse: false, batch: false } }],
    ['/v1beta/models/e:batchEmbedContents', { dialect: 'gemini', query: '', op: 'embeddings', gemini: { model: 'e', stream: false, sse: false, batch: true } }],
    ['/v1/models/g:countTokens', { dialect: 'gemini', query: '', op: 'count_tokens', gemini: { model: 'g', stream: false, sse: false, batch: false } }],
  ])('%s', (url, door) => expect(doorFor(url)).toEqual(door))
})

describe('anthropic headers for Anthropic upstreams', () => {
  const req = (headers: Record<string, string | string[]>) => ({ headers }) as unknown as IncomingMessage
  it('keeps the client version and merges beta flags with the encoder ones, each once', () => {
    expect(anthropicHeaders(req({ 'anthropic-version': '2023-06-01', 'anthropic-beta': 'a-1, b-2' }), { 'anthropic-beta': 'b-2,c-3' })).toEqual({
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'b-2,c-3,a-1',
    })
  })
  it('adds nothing when the client sent nothing', () => {
    expect(anthropicHeaders(req({ 'user-agent': 'x', 'x-stainless-os': 'Linux' }), undefined)).toBeUndefined()
    expect(anthropicHeaders(req({}), { 'anthropic-beta': 'c-3' })).toEqual({ 'anthropic-beta': 'c-3' })
  })
})
