import { describe, expect, it } from 'vitest'
import { CODECS } from '../../../server/gateway/registry'
import { PluginRegistry } from '../../../server/gateway/plugins/registry'
import { PluginRetryRequest, PluginRun } from '../../../server/gateway/plugins/run'
import { GatewayError } from '../../../server/gateway/errors'
import { responseToEvents, type IRResponse, type IRStreamEvent } from '../../../server/gateway/ir'
import type { PluginUseConfig } from '../../../shared/schemas/config-file'

const who = { requestId: 'req_1', dialect: 'openai-chat' as const, model: 'm', clientKey: 'test' }
const run = (...uses: PluginUseConfig[]) => new PluginRun(new PluginRegistry(), uses, who)
const ask = (text: string, extra: Record<string, unknown> = {}) =>
  CODECS['openai-chat'].decodeRequest({ model: 'm', messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: text }], ...extra })
const answer = (text: string): IRResponse => ({ id: 'r', model: 'm', created: 0, parts: [{ type: 'text', text }], finish: { unified: 'stop' }, usage: { inputTokens: 1, outputTokens: 1 } })

/** A streamed answer cut into `size`-character deltas, through the run's stream hooks, back to text. */
function streamThrough(r: PluginRun, text: string, size: number): { text: string; events: IRStreamEvent[] } {
  const t = r.streamTransform()!
  const out = responseToEvents(answer(text), size).flatMap((e) => t(e))
  return { text: out.map((e) => (e.type === 'text-delta' ? e.text : '')).join(''), events: out }
}

const PII = 'Call +86 138 0013 8000 or jane.doe@example.com; card 4111 1111 1111 1111; ID 11010519491231002X; order 1234567890123.'

describe('deny-words', () => {
  it('refuses a request with a listed word (whole word, any case) with a 400, and lets others through', async () => {
    const r = run({ use: 'deny-words', with: { words: ['forbidden', '机密'] } })
    const e = await r.onRequest(ask('This is FORBIDDEN text')).catch((x: unknown) => x)
    expect(GatewayError.is(e) && e.status).toBe(400)
    expect(GatewayError.is(await r.onRequest(ask('含有机密的内容')).catch((x: unknown) => x))).toBe(true)
    await expect(r.onRequest(ask('unforbiddenness is fine'))).resolves.toMatchObject({ request: expect.anything() })
  })

  it('patterns, a 403 and its own message when configured', async () => {
    const r = run({ use: 'deny-words', with: { patterns: ['\\bproject-\\d+\\b'], status: 403, message: 'no project codes' } })
    const e = await r.onRequest(ask('about project-42 please')).catch((x: unknown) => x)
    expect(GatewayError.is(e) && [e.status, e.message]).toEqual([403, 'no project codes'])
  })

  it('in: response stops a streamed answer with an in-band error when a word arrives split across chunks', () => {
    const r = run({ use: 'deny-words', with: { words: ['forbidden'], in: 'response' } })
    const { text, events } = streamThrough(r, 'all fine until the forbidden word shows up', 3)
    expect(text).not.toContain('forbidden')
    expect(events.some((e) => e.type === 'error')).toBe(true)
    expect(events.at(-1)!.type).toBe('error')
  })
})

describe('redact', () => {
  it('redacts prompts before they leave: e-mail, phone, card (Luhn), mainland ID (checksum); other digits stay', async () => {
    const { request } = await run({ use: 'redact', with: { in: 'request' } }).onRequest(ask(PII))
    const text = request.messages[0]!.parts[0]!.type === 'text' ? request.messages[0]!.parts[0]!.text : ''
    expect(text).toBe('Call [PHONE] or [EMAIL]; card [CARD]; ID [CN_ID]; order 1234567890123.')
  })

  it('a streamed answer is redacted the same whatever the chunk size (items split across chunks)', () => {
    const expected = 'Call [PHONE] or [EMAIL]; card [CARD]; ID [CN_ID]; order 1234567890123.'
    for (const size of [1, 2, 3, 4, 7, 16, 1000]) expect(streamThrough(run({ use: 'redact' }), PII, size).text).toBe(expected)
  })

  it('holds back only what might still be a match: early text goes out before the block ends', () => {
    const r = run({ use: 'redact' })
    const t = r.streamTransform()!
    const long = 'word '.repeat(40)
    const out = [...t({ type: 'text-start', index: 0 }), ...t({ type: 'text-delta', index: 0, text: long })]
    const released = out.map((e) => (e.type === 'text-delta' ? e.text : '')).join('')
    expect(released.length).toBeGreaterThan(100)
    expect(long.startsWith(released)).toBe(true)
  })

  it('custom patterns with a replacement; a non-streamed answer too', async () => {
    const r = run({ use: 'redact', with: { types: [], patterns: ['ACME-\\d{4}'], replacement: '***' } })
    const res = await r.onResponse(answer('ticket ACME-1234 for jane@example.com'))
    expect(res.parts[0]).toMatchObject({ text: 'ticket *** for jane@example.com' })
  })
})

describe('max-tokens, model-rewrite, headers', () => {
  it('max-tokens caps and defaults', async () => {
    expect((await run({ use: 'max-tokens', with: { max: 100 } }).onRequest(ask('x', { max_tokens: 500 }))).request.maxTokens).toBe(100)
    expect((await run({ use: 'max-tokens', with: { max: 100 } }).onRequest(ask('x', { max_tokens: 50 }))).request.maxTokens).toBe(50)
    expect((await run({ use: 'max-tokens', with: { default: 256 } }).onRequest(ask('x'))).request.maxTokens).toBe(256)
  })

  it('model-rewrite by map, with * as the default', async () => {
    const use = { use: 'model-rewrite', with: { map: { m: 'other', '*': 'fallback' } } }
    expect((await run(use).onRequest(ask('x'))).request.model).toBe('other')
    expect((await run(use).onRequest({ ...ask('x'), model: 'zzz' })).request.model).toBe('fallback')
  })

  it('headers: set and remove for the upstream call', async () => {
    const r = run({ use: 'headers', with: { set: { 'X-Team': 'search' }, remove: ['X-Org'] } })
    await r.onRequest(ask('x'))
    expect(r.upstreamHeaders).toEqual({ 'x-team': 'search', 'x-org': null })
  })
})

describe('json-guard', () => {
  const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false }
  const asking = () => ask('weather?', { response_format: { type: 'json_schema', json_schema: { name: 'w', schema } } })

  it('an answer that matches the schema (fenced or not) passes untouched', async () => {
    const r = run({ use: 'json-guard' })
    await r.onRequest(asking())
    expect((await r.onResponse(answer('{"city":"Paris"}'))).parts[0]).toMatchObject({ text: '{"city":"Paris"}' })
    expect((await r.onResponse(answer('```json\n{"city":"Oslo"}\n```'))).parts[0]).toMatchObject({ text: '```json\n{"city":"Oslo"}\n```' })
    expect(r.logNotes).toEqual([])
  })

  it('a failing answer is asked for once more; a second failure goes through with a note', async () => {
    const r = run({ use: 'json-guard' })
    await r.onRequest(asking())
    const e = await r.onResponse(answer('{"town":"Paris"}')).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(PluginRetryRequest)
    expect(r.retryReason).toContain('does not match the schema')
    const second = await r.onResponse(answer('not json at all'))
    expect(second.parts[0]).toMatchObject({ text: 'not json at all' })
    expect(r.logNotes.at(-1)).toBe("plugin=json-guard: the answer is not JSON; sent as it is (wanted JSON matching the schema 'w')")
  })

  it('requests that do not ask for JSON are not checked', async () => {
    const r = run({ use: 'json-guard' })
    await r.onRequest(ask('hi'))
    expect((await r.onResponse(answer('plain words'))).parts[0]).toMatchObject({ text: 'plain words' })
  })
})

describe('a plugin that fails', () => {
  const registry = () =>
    new PluginRegistry([
      { file: 'thrower.mjs', plugin: { name: 'thrower', onRequest: () => { throw new Error('boom') }, onStreamEvent: () => { throw new Error('stream boom') } } },
      { file: 'sleeper.mjs', plugin: { name: 'sleeper', onRequest: () => new Promise((r) => setTimeout(r, 5_000)) } },
    ])

  it('fails open by default: the request goes on, the failure is counted and reported', async () => {
    const reg = registry()
    const r = new PluginRun(reg, [{ use: 'thrower' }, { use: 'deny-words', with: { words: ['x'] } }], who)
    await expect(r.onRequest(ask('fine'))).resolves.toBeTruthy()
    expect(r.logNotes).toEqual(['plugin=thrower: failed (boom); skipped (fails open)'])
    expect(reg.report().find((h) => h.name === 'thrower')).toMatchObject({ errors: 1, lastError: 'boom' })
  })

  it('fails closed when configured: a 503 naming the plugin; a stream ends with an in-band error', async () => {
    const r = new PluginRun(registry(), [{ use: 'thrower', on_error: 'closed' }], who)
    const e = await r.onRequest(ask('fine')).catch((x: unknown) => x)
    expect(GatewayError.is(e) && [e.status, e.message]).toEqual([503, "plugin 'thrower' failed and is configured to fail closed: boom"])
    const out = r.streamTransform()!({ type: 'text-delta', index: 0, text: 'hi' })
    expect(out).toHaveLength(1)
    expect(out[0]!.type).toBe('error')
  })

  it('a hook past its time budget is a timeout', async () => {
    const reg = registry()
    const r = new PluginRun(reg, [{ use: 'sleeper', timeout_ms: 20 }], who)
    await r.onRequest(ask('fine'))
    expect(r.logNotes[0]).toContain('timed out')
    expect(reg.report().find((h) => h.name === 'sleeper')!.timeouts).toBe(1)
  })

  it('a plugin the configuration names but nobody loaded is a failure of that name', async () => {
    const r = run({ use: 'nope' })
    await r.onRequest(ask('fine'))
    expect(r.logNotes[0]).toContain("plugin 'nope' is not loaded")
  })
})
