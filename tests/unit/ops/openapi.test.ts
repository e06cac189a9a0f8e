import { describe, expect, it } from 'vitest'
import { Validator } from '@seriousme/openapi-schema-validator'
import { openApiDocument } from '../../../server/services/openapi/document'
import { renderDocsHtml } from '../../../server/services/openapi/render-html'

describe('the OpenAPI document', () => {
  const doc = openApiDocument('1.2.3')

  it('validates against the OpenAPI 3.1 schema', async () => {
    const v = new Validator()
    const res = await v.validate(structuredClone(doc) as any)
    expect(res.errors ?? []).toEqual([])
    expect(res.valid).toBe(true)
    expect(v.version).toBe('3.1')
  })

  it('describes the public and operations endpoints and every $ref resolves', () => {
    for (const p of ['/v1/chat/completions', '/v1/messages', '/v1/embeddings', '/v1/messages/count_tokens', '/v1beta/models/{model}:countTokens', '/v1beta/models/{model}:batchEmbedContents', '/v1beta/models/{model}:generateContent', '/health', '/health/detailed', '/metrics', '/docs/openapi.json'])
      expect(doc.paths).toHaveProperty([p])
    const refs = [...JSON.stringify(doc).matchAll(/"#\/components\/schemas\/([\w-]+)"/g)].map((m) => m[1]!)
    for (const r of refs) expect(doc.components.schemas).toHaveProperty([r])
  })

  it('renders to HTML that loads nothing from elsewhere', () => {
    const html = renderDocsHtml(doc)
    expect(html).toContain('/v1/chat/completions')
    expect(html).not.toMatch(/<script|<link|@import|url\(/i)
    expect([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((u) => !u.startsWith('#') && !u.startsWith('/'))).toEqual([])
  })

  it('escapes text from the document', () => {
    const html = renderDocsHtml({ ...doc, info: { ...doc.info, title: '<img onerror=x>' } })
    expect(html).not.toContain('<img onerror')
  })
})
