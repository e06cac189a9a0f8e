import { describe, expect, it } from 'vitest'
import OpenAI from 'openai'
import { GoogleGenAI } from '@google/genai'
import { ADMIN_KEY, CLIENT_KEY } from './support/server'
import { useGateway } from './support/setup'
import { mockVector } from './support/mock-upstream'

const gw = useGateway()
const openai = () => new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${gw.server.url}/v1`, maxRetries: 0 })
const genai = () => new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: gw.server.url } })
const f32 = (v: number[]) => Array.from(new Float32Array(v))

/** Upstreams that have embeddings: OpenAI, an OpenAI Responses provider (same API root), Gemini. */
const EMBEDDERS = [
  { prefix: 'oa', dialect: 'openai-chat' as const, path: '/openai/v1/embeddings' },
  { prefix: 'rs', dialect: 'openai-responses' as const, path: '/openai/v1/embeddings' },
  { prefix: 'gm', dialect: 'gemini' as const, path: '/gemini/v1beta/models/gm-embed-X:batchEmbedContents' },
]

async function cacheStats() {
  const r = await fetch(`${gw.server.url}/health/detailed`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
  return ((await r.json()) as any).embeddingCache
}

describe.each(EMBEDDERS)('OpenAI SDK embeddings → $dialect upstream', ({ prefix, dialect, path }) => {
  it('a batch of strings with dimensions; the SDK default base64 comes back decoded', async () => {
    const model = `${prefix}-embed-${dialect}`
    const before = gw.mock.requests.length
    const r = await openai().embeddings.create({ model, input: [`alpha ${prefix}`, `beta ${prefix}`], dimensions: 3 })
    expect(r.model).toBe(model)
    expect(r.data.map((d) => d.index)).toEqual([0, 1])
    expect(r.data[0]!.embedding).toEqual(f32(mockVector(`alpha ${prefix}`, 3)))
    expect(r.data[1]!.embedding).toEqual(f32(mockVector(`beta ${prefix}`, 3)))
    const got = gw.mock.requests.slice(before)
    expect(got).toHaveLength(1)
    expect(got[0]!.path).toBe(path.replace('gm-embed-X', model))
    if (dialect === 'gemini') {
      expect(got[0]!.body.requests).toEqual([
        { model: `models/${model}`, content: { parts: [{ text: `alpha ${prefix}` }] }, outputDimensionality: 3 },
        { model: `models/${model}`, content: { parts: [{ text: `beta ${prefix}` }] }, outputDimensionality: 3 },
      ])
    } else {
      expect(got[0]!.body).toEqual({ model, input: [`alpha ${prefix}`, `beta ${prefix}`], encoding_format: 'float', dimensions: 3 })
      expect(r.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 })
    }
  })

  it('float format; the second identical call is answered from the cache without an upstream call', async () => {
    const model = `${prefix}-embed-cache`
    const input = `cache me ${prefix} ${Date.now()}`
    const s0 = await cacheStats()
    const first = await openai().embeddings.create({ model, input, encoding_format: 'float' })
    expect(first.data[0]!.embedding).toEqual(mockVector(input))
    const before = gw.mock.requests.length
    // The cache write is in the background: give it a moment.
    await new Promise((r) => setTimeout(r, 200))
    const again = await openai().embeddings.create({ model, input: [input, `${input} new`], encoding_format: 'float' })
    expect(again.data[0]!.embedding).toEqual(f32(mockVector(input)))
    expect(again.data[1]!.embedding).toEqual(mockVector(`${input} new`))
    const sent = gw.mock.requests.slice(before)
    expect(sent).toHaveLength(1)
    // only the miss went upstream
    expect(JSON.stringify(sent[0]!.body)).not.toContain(`"${input}"`)
    const s1 = await cacheStats()
    expect(s1.hits - s0.hits).toBe(1)
    expect(s1.misses - s0.misses).toBe(2)
    expect(s1.enabled).toBe(true)
  })
})

describe('embeddings that cannot go where they are routed', () => {
  it('an Anthropic upstream: a 400 in OpenAI shape naming the target', async () => {
    const err = await openai().embeddings.create({ model: 'an-embed', input: 'x' }).catch((e) => e)
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect(err.message).toContain("embeddings cannot be sent to provider 'mock-anthropic' (anthropic)")
    expect(err.headers.get('x-request-id')).toMatch(/^req_/)
  })

  it('token arrays to a Gemini upstream: a 400 saying so', async () => {
    const err = await openai().embeddings.create({ model: 'gm-embed', input: [[1, 2, 3]] }).catch((e) => e)
    expect(err.status).toBe(400)
    expect(err.message).toContain('token arrays cannot be sent to gemini')
  })

  it('bad input is the client\'s error', async () => {
    const r = await fetch(`${gw.server.url}/v1/embeddings`, { method: 'POST', headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'oa-embed', input: [] }) })
    expect(r.status).toBe(400)
    expect(((await r.json()) as any).error).toMatchObject({ param: 'input', type: 'invalid_request_error' })
  })

  it('an upstream error reaches an OpenAI client in its vendor\'s own words', async () => {
    const err = await openai().embeddings.create({ model: 'oa-embed-e400', input: 'x' }).catch((e) => e)
    expect(err.status).toBe(400)
    expect(err.message).toContain('mock openai-chat says e400')
  })
})

describe.each(EMBEDDERS)('Gemini SDK embedContent → $dialect upstream', ({ prefix, dialect }) => {
  it('several contents, taskType and outputDimensionality mapped', async () => {
    const model = `${prefix}-gembed`
    const before = gw.mock.requests.length
    const r = await genai().models.embedContent({ model, contents: ['one', 'two'], config: { outputDimensionality: 2, taskType: 'RETRIEVAL_DOCUMENT' } })
    expect(r.embeddings?.map((e) => e.values)).toEqual([mockVector('one', 2), mockVector('two', 2)])
    const sent = gw.mock.requests.slice(before)
    expect(sent).toHaveLength(1)
    if (dialect === 'gemini') expect(sent[0]!.body.requests[0]).toEqual({ model: `models/${model}`, content: { parts: [{ text: 'one' }] }, taskType: 'RETRIEVAL_DOCUMENT', outputDimensionality: 2 })
    else expect(sent[0]!.body).toEqual({ model, input: ['one', 'two'], encoding_format: 'float', dimensions: 2 })
  })
})

describe('Gemini embedContent (single) over plain HTTP', () => {
  const embedContent = (model: string) =>
    fetch(`${gw.server.url}/v1beta/models/${model}:embedContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': CLIENT_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ content: { parts: [{ text: 'solo' }] } }),
    })
  it('answers {embedding: {values}}', async () => {
    const r = await embedContent('gm-single')
    expect(r.status).toBe(200)
    expect(await r.json()).toEqual({ embedding: { values: mockVector('solo') } })
  })
  it('an Anthropic target: a 400 in Gemini shape', async () => {
    const r = await embedContent('an-x')
    expect(r.status).toBe(400)
    const b = (await r.json()) as any
    expect(b.error.status).toBe('INVALID_ARGUMENT')
    expect(b.error.message).toContain("provider 'mock-anthropic'")
  })
})
