import { describe, expect, it } from 'vitest'
import { mayNeedRedaction, redactedJson, redactText, REDACTED } from '../../../server/services/log/redact-body'

// Most bodies hold nothing to redact: they are stored as they came, without parse/walk/serialise.
// The raw-text test must be a superset of what redaction would change, or a secret slips through.
describe('the redaction fast path', () => {
  it('a plain chat request or answer is stored byte for byte', () => {
    const answer = '{"id":"chatcmpl-1","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help?"},"finish_reason":"stop"}],\n "usage":{"prompt_tokens":9}}'
    expect(mayNeedRedaction(answer)).toBe(false)
    expect(redactText(answer)).toBe(answer)
    const req = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'Summarise the secrets of good soup' }], max_tokens: 64 }
    expect(redactedJson(req)).toBe(JSON.stringify(req))
  })

  it('every kind of thing redaction changes sends the body down the slow path', () => {
    const suspicious: Array<[string, unknown]> = [
      ['key name', { api_key: 'x' }],
      ['key name, other spelling', { headers: { Authorization: 'x' } }],
      ['key name with spaces before the colon', '{"client_secret" : "x"}'],
      ['sk- key in text', { content: 'mine is sk-proj-ABCDEFGHIJKLMNOPQRSTUV' }],
      ['Google key in text', { content: 'AIzaSyA1234567890abcdefghijklmn' }],
      ['bearer token in text', { content: 'Bearer abcdefghijklmnopqrstuvwxyz' }],
      ['data URL', { url: `data:image/png;base64,${'A'.repeat(2000)}` }],
      ['long base64', { data: 'QUJD'.repeat(400) }],
      ['line-wrapped base64', { data: Buffer.alloc(3000, 9).toString('base64').replace(/(.{76})/g, '$1\r\n') }],
      ['escaped key name', '{"api\\u005fkey":"x"}'],
      ['escaped slash inside base64', `{"data":"${'A'.repeat(600)}\\/${'A'.repeat(600)}"}`],
    ]
    for (const [what, body] of suspicious) expect([what, mayNeedRedaction(typeof body === 'string' ? body : JSON.stringify(body))]).toEqual([what, true])
  })

  it('the slow path still redacts what the fast test flagged', () => {
    expect(JSON.parse(redactedJson({ model: 'm', api_key: 'sk-should-not-be-stored-0000' }))).toEqual({ model: 'm', api_key: REDACTED })
    expect(JSON.parse(redactText('{"api\\u005fkey":"hunter2hunter2"}'))).toEqual({ api_key: REDACTED })
  })
})
