import { describe, expect, it } from 'vitest'
import { REDACTED, SecretScrubber, scrubError, scrubberFor } from '../../../server/gateway/upstream/scrub-secrets'
import { GatewayError } from '../../../server/gateway/errors'
import { CappedEvents } from '../../../server/gateway/capture-events'
import { buildSnapshot } from '../../../server/gateway/routing/snapshot'

describe('upstream text is scrubbed of keys', () => {
  const s = new SecretScrubber(['my-own-upstream-key-123', 'short', 'my-own-upstream-key-123-longer'])

  it('removes every configured key, the longer one whole', () => {
    const out = s.scrub('{"error":{"message":"Incorrect API key provided: my-own-upstream-key-123-longer; also my-own-upstream-key-123"}}')
    expect(out).not.toContain('my-own-upstream')
    expect(out).toBe(`{"error":{"message":"Incorrect API key provided: ${REDACTED}; also ${REDACTED}"}}`)
    expect(JSON.parse(out).error.message).toContain(REDACTED)
  })

  it('leaves short placeholder keys (none, EMPTY, ollama) alone', () => {
    expect(s.scrub('short answer')).toBe('short answer')
  })

  it.each([
    ['OpenAI project', 'sk-proj-AbCdEf0123456789AbCdEf0123456789'],
    ['Anthropic', 'sk-ant-api03-AbCdEf0123456789_AbCdEf-0123456789'],
    ['OpenRouter', 'sk-or-v1-0123456789abcdef0123456789abcdef'],
    ['Google', 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'],
    ['Groq', 'gsk_0123456789abcdefABCDEF0123'],
    ['xAI', 'xai-0123456789abcdefABCDEF0123'],
  ])('removes an unconfigured %s-shaped key', (_vendor, key) => {
    const out = s.scrub(`key ${key} is invalid`)
    expect(out).toBe(`key ${REDACTED} is invalid`)
  })

  it('keeps words that only contain a prefix, and masked keys vendors echo', () => {
    const t = 'task-management-service-unavailable; Incorrect API key provided: sk-proj-********wxyz'
    expect(s.scrub(t)).toBe(t)
  })

  it('scrubs the key a call used even if it is no longer configured', () => {
    expect(s.scrub('bad key rotated-away-key-xyz', 'rotated-away-key-xyz')).toBe(`bad key ${REDACTED}`)
  })

  it('knows every key of every provider in a snapshot', () => {
    const snap = buildSnapshot(
      {
        providers: [
          { id: 'a', type: 'openai', baseUrl: 'http://x/v1', headers: {}, keys: [{ id: 1, key: 'upstream-key-aaaa', hash: 'h1', hint: '', weight: 1, maxConcurrency: null, enabled: true }], keyStrategy: 'round-robin', timeoutMs: 1000, enabled: true },
          { id: 'b', type: 'gemini', baseUrl: 'http://x/v1beta', headers: {}, keys: [{ id: 2, key: 'upstream-key-bbbb', hash: 'h2', hint: '', weight: 1, maxConcurrency: null, enabled: true }], keyStrategy: 'round-robin', timeoutMs: 1000, enabled: true },
        ],
        models: [],
        routes: [],
        defaultProvider: null,
        clientKeys: [],
      } as never,
      'adminhash',
    )
    const sc = scrubberFor(snap)
    expect(scrubberFor(snap)).toBe(sc)
    expect(sc.scrub('upstream-key-aaaa / upstream-key-bbbb')).toBe(`${REDACTED} / ${REDACTED}`)
  })
})

describe('errors and captured stream errors are scrubbed too', () => {
  const s = new SecretScrubber(['stream-secret-key-0001'])

  it('scrubError copies the error with message and upstream body cleaned, keeping kind and status', () => {
    const e = new GatewayError('authentication', 'bad key stream-secret-key-0001', { status: 401, upstreamBody: '{"k":"stream-secret-key-0001"}', provider: 'p', retryAfter: 3 })
    const c = scrubError(e, s)
    expect(c).toMatchObject({ kind: 'authentication', status: 401, provider: 'p', retryAfter: 3, message: `bad key ${REDACTED}`, upstreamBody: `{"k":"${REDACTED}"}` })
    const clean = new GatewayError('timeout', 'slow')
    expect(scrubError(clean, s)).toBe(clean)
  })

  it('the body-log capture keeps an error event only scrubbed', () => {
    const ev = new CappedEvents(100, (e) => scrubError(e, s))
    ev.push({ type: 'error', error: new GatewayError('upstream_error', 'oops stream-secret-key-0001') })
    expect(JSON.stringify(ev.map((x) => (x.type === 'error' ? x.error.message : '')))).not.toContain('stream-secret')
  })
})
