import { describe, expect, it } from 'vitest'
import { hasBase64Block, mayNeedRedaction, redactedJson, redactText, REDACTED } from '../../../server/services/log/redact-body'

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

describe('the base64 scan', () => {
  // The one-regex form the scan replaced (it cost ~10x more): the scan must flag exactly the same texts.
  const RUN = /[A-Za-z0-9+/=_-]{1024}/
  const WRAPPED = /(?:[A-Za-z0-9+/=]{60,}(?:\\r)?\\n){4}/
  const ALPHABET = ['A', 'z', '9', '+', '=', 'n', 'r', '\\', '-', '_', '"', ' ', 'é']

  it('agrees with the regular expressions on random texts built from the characters that matter', () => {
    let seed = 42
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    let flagged = 0
    for (let n = 0; n < 1200; n++) {
      // Long runs of one character class, broken by escapes and separators, so both branches are reached.
      let text = ''
      const len = 240 + Math.floor(rnd() * 3000)
      while (text.length < len) {
        const r = rnd()
        if (r < 0.15) text += 'A'.repeat(Math.floor(rnd() * 120))
        // Lines right around the 60-character bound of a wrapped line.
        else if (r < 0.3) text += 'z'.repeat(56 + Math.floor(rnd() * 8)) + (rnd() < 0.5 ? '\\n' : '\\r\\n')
        else if (r < 0.45) text += rnd() < 0.5 ? '\\n' : '\\r\\n'
        else if (r < 0.5) text += 'Q'.repeat(Math.floor(rnd() * 1100))
        else text += ALPHABET[Math.floor(rnd() * ALPHABET.length)]!
      }
      const expected = RUN.test(text) || WRAPPED.test(text)
      if (expected) flagged++
      if (hasBase64Block(text) !== expected) expect({ text, scan: !expected }).toEqual({ text, scan: expected })
    }
    // Both outcomes were exercised.
    expect(flagged).toBeGreaterThan(100)
    expect(flagged).toBeLessThan(1100)
  }, 120_000)
})
