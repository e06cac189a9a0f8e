import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { capText, redactBody, redactText, REDACTED } from '../../../server/services/log/redact-body'

const bigB64 = Buffer.alloc(3000, 7).toString('base64')
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

describe('body redaction', () => {
  it('redacts secrets by key name, at any depth, and leaves the input untouched', () => {
    const input = {
      model: 'gpt-4.1',
      api_key: 'sk-live-should-never-be-stored-123',
      metadata: { Authorization: 'Bearer abc', 'x-api-key': 'k1', password: 'hunter2', client_secret: 's', nested: [{ accessToken: 't' }] },
      max_tokens: 10,
    }
    const copy = structuredClone(input)
    const out = redactBody(input) as any
    expect(out.api_key).toBe(REDACTED)
    expect(out.metadata).toEqual({ Authorization: REDACTED, 'x-api-key': REDACTED, password: REDACTED, client_secret: REDACTED, nested: [{ accessToken: REDACTED }] })
    expect(out.max_tokens).toBe(10)
    expect(out.model).toBe('gpt-4.1')
    expect(input).toEqual(copy)
  })

  it('scrubs key-shaped strings inside free text', () => {
    const out = redactBody({ content: 'my key is sk-proj-ABCDEFGHIJKLMNOPQRSTUV and AIzaSyA1234567890abcdefghijklmn ok' }) as any
    expect(out.content).toBe(`my key is ${REDACTED} and ${REDACTED} ok`)
  })

  it('replaces large base64 payloads (data URL, Anthropic source, Gemini inlineData) by type, size and sha256', () => {
    const bytes = Buffer.from(bigB64, 'base64')
    const out = redactBody({
      openai: { type: 'image_url', image_url: { url: `data:image/png;base64,${bigB64}` } },
      anthropic: { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: bigB64 } },
      gemini: { inlineData: { mimeType: 'image/webp', data: bigB64 } },
      small: { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
    }) as any
    expect(out.openai.image_url.url).toEqual({ type: 'image/png', size: 3000, sha256: sha(bytes) })
    expect(out.anthropic.source).toEqual({ type: 'base64', media_type: 'image/jpeg', data: { type: 'image/jpeg', size: 3000, sha256: sha(bytes) } })
    expect(out.gemini.inlineData.data).toEqual({ type: 'image/webp', size: 3000, sha256: sha(bytes) })
    expect(out.small.inlineData.data).toBe('iVBORw0KGgo=')
  })

  it('redacts a JSON text body and scrubs a non-JSON one', () => {
    expect(JSON.parse(redactText('{"error":{"message":"bad","api_key":"sk-x"}}'))).toEqual({ error: { message: 'bad', api_key: REDACTED } })
    expect(redactText('data: Bearer abcdefghijklmnopqrstuvwxyz\n')).toBe(`data: ${REDACTED}\n`)
  })

  it('caps a body at a byte size on a UTF-8 boundary and says so', () => {
    expect(capText('hello', 10)).toEqual({ text: 'hello', truncated: false, bytes: 5 })
    const c = capText('ééééé', 5) // 10 bytes: 2 whole characters fit
    expect(c).toEqual({ text: 'éé', truncated: true, bytes: 10 })
  })
})
