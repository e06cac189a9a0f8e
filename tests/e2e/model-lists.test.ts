import { describe, expect, it } from 'vitest'
import OpenAI from 'openai'
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import { CLIENT_KEY } from './support/server'
import { useGateway } from './support/setup'

const gw = useGateway()

describe('model lists merge configured entries with what providers offer', () => {
  it('OpenAI shape: entries, then provider models routing really sends there', async () => {
    const oa = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${gw.server.url}/v1`, maxRetries: 0 })
    const ids: string[] = []
    for await (const m of oa.models.list()) ids.push(m.id)
    expect(ids[0]).toBe('smart')
    expect(ids).toEqual(expect.arrayContaining(['oa-gpt-listed', 'oa-text-embedding', 'an-claude-listed', 'gm-gemini-listed', 'gm-embedding-listed']))
    // offered by OpenAI but routed elsewhere (an-*) or nowhere: not listed
    expect(ids).not.toContain('an-misrouted')
    expect(ids).not.toContain('unrouted-model')
    // each once, although three providers share the mock's OpenAI list
    expect(new Set(ids).size).toBe(ids.length)
    const one = await oa.models.retrieve('oa-gpt-listed')
    expect(one).toMatchObject({ id: 'oa-gpt-listed', owned_by: 'mock-openai', created: 1_712_000_000 })
  })

  it('Anthropic shape when anthropic-version is sent', async () => {
    const an = new Anthropic({ apiKey: CLIENT_KEY, baseURL: gw.server.url, maxRetries: 0 })
    const page = await an.models.list()
    const m = page.data.find((x) => x.id === 'an-claude-listed')
    expect(m).toMatchObject({ type: 'model', display_name: 'Claude an-claude-listed', created_at: '2025-05-14T00:00:00.000Z' })
  })

  it('Gemini shape with the methods each model supports', async () => {
    const g = new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: gw.server.url } })
    const seen = new Map<string, string[] | undefined>()
    for await (const m of await g.models.list()) seen.set(m.name!, m.supportedActions)
    expect(seen.get('models/gm-embedding-listed')).toEqual(['embedContent'])
    expect(seen.get('models/gm-gemini-listed')).toEqual(['generateContent', 'countTokens'])
    expect(seen.get('models/smart')).toEqual(['generateContent', 'streamGenerateContent', 'countTokens'])
    expect(seen.get('models/oa-text-embedding')).toEqual(['embedContent', 'batchEmbedContents'])
  })
})
