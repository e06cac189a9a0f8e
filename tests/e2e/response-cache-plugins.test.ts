import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import { spawnSync } from 'node:child_process'
import { ADMIN_KEY, CLIENT_KEY, ROOT, mockConfigYaml, startServer, type RunningServer } from './support/server'
import { bearer, trpc } from './support/admin-api'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'

/**
 * Issue 19 end to end: the exact response cache (one upstream call for the same question through two
 * SDKs, streamed and not; TTL; bypass; off by default) and plugins (a module from a temp
 * NUXT_PLUGINS_DIR that denies and rewrites, the redact built-in on a stream split every 4 characters,
 * a throwing plugin failing open and closed).
 */

const MODELS = `
  - name: cached
    targets: [ { provider: mock-openai, model: oa-text } ]
    cache: { enabled: true, ttl_s: 300 }
    plugins: [ { use: deny-words, with: { words: [forbidden] } } ]
  - name: brief
    targets: [ { provider: mock-anthropic, model: an-text } ]
    cache: { enabled: true, ttl_s: 1 }
  - name: uncached
    targets: [ { provider: mock-openai, model: oa-text } ]
  - name: guarded
    targets: [ { provider: mock-gemini, model: gm-pii } ]
    plugins: [ { use: example-guard }, { use: thrower }, { use: redact } ]
  - name: closed
    targets: [ { provider: mock-openai, model: oa-text } ]
    plugins: [ { use: thrower, on_error: closed } ]
  - name: json-checked
    targets: [ { provider: mock-openai, model: oa-text } ]
    plugins: [ { use: json-guard } ]
`

const EXAMPLE_GUARD = `
export default {
  name: 'example-guard',
  onRequest(req, ctx) {
    const last = req.messages.at(-1)
    const text = last.parts.map((p) => (p.type === 'text' ? p.text : '')).join('')
    if (text.includes('BLOCKME')) return { deny: 'blocked by example-guard', status: 400 }
    if (text.includes('REWRITE')) {
      for (const p of last.parts) if (p.type === 'text') p.text = p.text.replaceAll('REWRITE', 'rewritten by ' + (ctx.options.tag ?? 'a plugin'))
      req.system = [...req.system, { type: 'text', text: 'Added by example-guard.' }]
    }
    return req
  },
}
`
const THROWER = `export default { name: 'thrower', onRequest() { throw new Error('thrower always throws') } }\n`

let mock: MockUpstream
let server: RunningServer
let pluginsDir: string

beforeAll(async () => {
  pluginsDir = mkdtempSync(join(tmpdir(), 'rosetta-plugins-'))
  writeFileSync(join(pluginsDir, 'example-guard.mjs'), EXAMPLE_GUARD)
  writeFileSync(join(pluginsDir, 'thrower.mjs'), THROWER)
  mock = await startMockUpstream()
  server = await startServer({ config: mockConfigYaml(mock.url).replace('models:\n', `models:${MODELS}`), env: { NUXT_PLUGINS_DIR: pluginsDir } })
})
afterAll(async () => {
  await server?.stop()
  await mock?.close()
  rmSync(pluginsDir, { recursive: true, force: true })
})

const openai = () => new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${server.url}/v1`, maxRetries: 0 })
const anthropic = () => new Anthropic({ apiKey: CLIENT_KEY, baseURL: server.url, maxRetries: 0 })
const genai = () => new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: server.url } })
const upstreamCalls = () => mock.requests.length
/** The cache is written in the background after the answer: give it a moment before asking again. */
const written = () => new Promise((r) => setTimeout(r, 300))

async function admin(path: string, input?: unknown): Promise<any> {
  const r = await fetch(`${server.url}/api/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
  const body = (await r.json()) as any
  if (!r.ok) throw new Error(JSON.stringify(body))
  return body.result.data
}

/** The log is written in batches: poll for the row. */
async function logged(requestId: string): Promise<any> {
  for (let i = 0; i < 60; i++) {
    try {
      return await admin('logs.get', { requestId })
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  throw new Error(`no log row for ${requestId}`)
}

describe('response cache', () => {
  it('the same question through the OpenAI and the Anthropic SDK: one upstream call, two answers with the same text', async () => {
    const q = `What is the capital of France? ${Date.now()}`
    const before = upstreamCalls()
    const first = await openai().chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: q }], max_tokens: 100 }).withResponse()
    expect(first.response.headers.get('x-rosetta-cache')).toBe('miss')
    await written()
    const second = await anthropic().messages.create({ model: 'cached', max_tokens: 100, messages: [{ role: 'user', content: q }] }).withResponse()
    expect(second.response.headers.get('x-rosetta-cache')).toBe('hit')
    expect(upstreamCalls() - before).toBe(1)
    expect(first.data.choices[0]!.message.content).toBe('Hello from openai-chat!')
    // Dialect-correct: an Anthropic message with the same text.
    expect(second.data.type).toBe('message')
    expect(second.data.content).toEqual([expect.objectContaining({ type: 'text', text: 'Hello from openai-chat!' })])
    expect(second.data.stop_reason).toBe('end_turn')
    // The Gemini SDK too, unstreamed and streamed.
    const third = await genai().models.generateContent({ model: 'cached', contents: q, config: { maxOutputTokens: 100 } })
    expect(third.text).toBe('Hello from openai-chat!')
    let streamed = ''
    for await (const c of await genai().models.generateContentStream({ model: 'cached', contents: q })) streamed += c.text ?? ''
    expect(streamed).toBe('Hello from openai-chat!')
    expect(upstreamCalls() - before).toBe(1)
    const row = await logged(second.response.headers.get('x-request-id')!)
    expect(row.cacheHit).toBe(true)
    expect(row.status).toBe(200)
    expect(row.keyId).toBeNull()
    expect(row.attempts ?? []).toEqual([])
  })

  it('streamed: the Chat stream is a miss, the Anthropic stream a hit replayed as Anthropic events with the same text', async () => {
    const q = `Stream me ${Date.now()}`
    const before = upstreamCalls()
    const s1 = await openai().chat.completions.create({ model: 'cached', stream: true, messages: [{ role: 'user', content: q }] }).withResponse()
    expect(s1.response.headers.get('x-rosetta-cache')).toBe('miss')
    let text1 = ''
    for await (const c of s1.data) text1 += c.choices[0]?.delta?.content ?? ''
    await written()
    const s2 = anthropic().messages.stream({ model: 'cached', max_tokens: 64, messages: [{ role: 'user', content: q }] })
    let text2 = ''
    s2.on('text', (t) => (text2 += t))
    const msg = await s2.finalMessage()
    expect(text1).toBe('Hello from openai-chat!')
    expect(text2).toBe(text1)
    expect(msg.stop_reason).toBe('end_turn')
    expect(upstreamCalls() - before).toBe(1)
    // A streamed answer also serves an unstreamed request, and the other way round.
    const plain = await openai().chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: q }] })
    expect(plain.choices[0]!.message.content).toBe(text1)
    expect(upstreamCalls() - before).toBe(1)
  })

  it('x-rosetta-cache: no-cache goes upstream (and says miss); a non-zero temperature is not cached', async () => {
    const q = `Bypass ${Date.now()}`
    await openai().chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: q }] })
    await written()
    const before = upstreamCalls()
    const r = await openai().chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: q }] }, { headers: { 'x-rosetta-cache': 'no-cache' } }).withResponse()
    expect(r.response.headers.get('x-rosetta-cache')).toBe('miss')
    expect(upstreamCalls() - before).toBe(1)
    const hot = `Hot ${Date.now()}`
    for (let i = 0; i < 2; i++) {
      const h = await openai().chat.completions.create({ model: 'cached', temperature: 0.9, messages: [{ role: 'user', content: hot }] }).withResponse()
      expect(h.response.headers.get('x-rosetta-cache')).toBeNull()
      await written()
    }
    expect(upstreamCalls() - before).toBe(3)
  })

  it('TTL: an entry older than ttl_s is not served', async () => {
    const q = `Short-lived ${Date.now()}`
    const ask = () => anthropic().messages.create({ model: 'brief', max_tokens: 50, messages: [{ role: 'user', content: q }] }).withResponse()
    const before = upstreamCalls()
    await ask()
    await written()
    expect((await ask()).response.headers.get('x-rosetta-cache')).toBe('hit')
    await new Promise((r) => setTimeout(r, 1200))
    expect((await ask()).response.headers.get('x-rosetta-cache')).toBe('miss')
    expect(upstreamCalls() - before).toBe(2)
  })

  it('off by default: a model entry without cache: goes upstream every time and says nothing', async () => {
    const q = `Uncached ${Date.now()}`
    const before = upstreamCalls()
    for (let i = 0; i < 2; i++) {
      const r = await openai().chat.completions.create({ model: 'uncached', messages: [{ role: 'user', content: q }] }).withResponse()
      expect(r.response.headers.get('x-rosetta-cache')).toBeNull()
      await written()
    }
    expect(upstreamCalls() - before).toBe(2)
  })

  it('stats: /health/detailed reports hits, entries and the cache', async () => {
    const r = await fetch(`${server.url}/health/detailed`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
    const h = (await r.json()) as any
    expect(h.responseCache.enabled).toBe(true)
    expect(h.responseCache.lookups.hits).toBeGreaterThanOrEqual(3)
    expect(h.responseCache.entries).toBeGreaterThanOrEqual(3)
    expect(h.responseCache.hits).toBeGreaterThanOrEqual(3)
  })
})

describe('the cache from the CLI and the admin API', () => {
  const cli = (args: string[]) => {
    const r = spawnSync(process.execPath, [join(ROOT, 'cli/rosetta.mjs'), ...args, '--json'], { env: { ...process.env, ROSETTA_URL: server.url, ROSETTA_ADMIN_KEY: ADMIN_KEY, NO_COLOR: '1' }, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`rosetta ${args.join(' ')} → ${r.status}: ${r.stderr}`)
    return JSON.parse(r.stdout) as any
  }

  it('cache set turns a model entry’s cache on (kept by a later edit that does not mention it), stats count, purge empties', async () => {
    const made = await trpc(server.url, 'mutation', 'models.create', { name: 'api-cached', targets: [{ provider: 'mock-openai', model: 'oa-text' }] }, bearer(ADMIN_KEY))
    expect(made.status, made.text).toBe(200)
    expect(cli(['cache', 'show', 'api-cached']).cache).toBeNull()
    expect(cli(['cache', 'set', 'api-cached', '--ttl', '120'])).toEqual({ name: 'api-cached', cache: 'on, ttl 120 s' })
    // An edit of other fields (what the enable switch sends) keeps the cache setting.
    await trpc(server.url, 'mutation', 'models.update', { name: 'api-cached', targets: [{ provider: 'mock-openai', model: 'oa-text' }], enabled: true }, bearer(ADMIN_KEY))
    expect(cli(['cache', 'show', 'api-cached']).cache).toEqual({ enabled: true, ttl_s: 120, any_temperature: false })
    const q = `CLI ${Date.now()}`
    const ask = () => openai().chat.completions.create({ model: 'api-cached', messages: [{ role: 'user', content: q }] }).withResponse()
    await ask()
    await written()
    expect((await ask()).response.headers.get('x-rosetta-cache')).toBe('hit')
    const stats = cli(['cache', 'stats'])
    expect(stats.entries).toBeGreaterThan(0)
    expect(cli(['cache', 'purge', '--model', 'api-cached'])).toEqual({ removed: 1 })
    expect((await ask()).response.headers.get('x-rosetta-cache')).toBe('miss')
    cli(['cache', 'set', 'api-cached', '--off'])
    expect(cli(['cache', 'show', 'api-cached']).cache.enabled).toBe(false)
    const off = await ask()
    expect(off.response.headers.get('x-rosetta-cache')).toBeNull()
  })
})

describe('plugins', () => {
  it('deny-words on the model entry: a 400 in the Chat and the Anthropic dialect, nothing sent upstream', async () => {
    const before = upstreamCalls()
    const e1 = await openai().chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: 'say the forbidden thing' }] }).catch((e: unknown) => e)
    expect(e1).toBeInstanceOf(OpenAI.BadRequestError)
    expect((e1 as Error).message).toContain('not allowed')
    const e2 = await anthropic().messages.create({ model: 'cached', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'Forbidden!' }] }).catch((e: unknown) => e)
    expect(e2).toBeInstanceOf(Anthropic.BadRequestError)
    expect((e2 as any).error?.error?.type).toBe('invalid_request_error')
    expect(upstreamCalls()).toBe(before)
  })

  it('a plugin from NUXT_PLUGINS_DIR denies with a 400 in each client dialect', async () => {
    const e1 = await openai().chat.completions.create({ model: 'guarded', messages: [{ role: 'user', content: 'BLOCKME' }] }).catch((e: unknown) => e)
    expect(e1).toBeInstanceOf(OpenAI.BadRequestError)
    expect((e1 as Error).message).toContain('blocked by example-guard')
    const e2 = await anthropic().messages.create({ model: 'guarded', max_tokens: 10, messages: [{ role: 'user', content: 'BLOCKME' }] }).catch((e: unknown) => e)
    expect(e2).toBeInstanceOf(Anthropic.BadRequestError)
    expect((e2 as Error).message).toContain('blocked by example-guard')
    const e3 = await genai()
      .models.generateContent({ model: 'guarded', contents: 'BLOCKME' })
      .catch((e: unknown) => e)
    expect((e3 as Error).message).toContain('blocked by example-guard')
    expect((e3 as Error).message).toContain('400')
    const e4 = await openai().responses.create({ model: 'guarded', input: 'BLOCKME' }).catch((e: unknown) => e)
    expect(e4).toBeInstanceOf(OpenAI.BadRequestError)
  })

  it('rewrites a request (the upstream sees the change) and redacts the streamed answer across 4-character chunks', async () => {
    const stream = anthropic().messages.stream({ model: 'guarded', max_tokens: 200, messages: [{ role: 'user', content: 'please REWRITE this' }] })
    let text = ''
    stream.on('text', (t) => (text += t))
    await stream.finalMessage()
    const sent = mock.last('gemini').body
    expect(JSON.stringify(sent.contents)).toContain('please rewritten by a plugin this')
    expect(JSON.stringify(sent.systemInstruction)).toContain('Added by example-guard.')
    expect(text).toBe('Call me at [PHONE] or mail [EMAIL], card [CARD], ID [CN_ID]. Thanks!')
  })

  it('redact in the prompt: the upstream and the body log get the redacted text, never the original', async () => {
    const r = await openai()
      .chat.completions.create({ model: 'guarded', messages: [{ role: 'user', content: 'I am jane.roe@example.org, call 13800138000' }] })
      .withResponse()
    const sent = JSON.stringify(mock.last('gemini').body)
    expect(sent).toContain('I am [EMAIL], call [PHONE]')
    expect(sent).not.toContain('jane.roe')
    let row: any
    for (let i = 0; i < 60 && !row?.bodies; i++) {
      row = await logged(r.response.headers.get('x-request-id')!)
      if (!row.bodies) await new Promise((res) => setTimeout(res, 100))
    }
    expect(JSON.stringify(row.bodies.request)).toContain('I am [EMAIL], call [PHONE]')
    expect(JSON.stringify(row.bodies)).not.toContain('jane.roe')
    expect(JSON.stringify(row.bodies)).not.toContain('13800138000')
  })

  it('the same redaction for a Chat stream and an unstreamed answer', async () => {
    const s = await openai().chat.completions.create({ model: 'guarded', stream: true, messages: [{ role: 'user', content: 'hi' }] })
    let text = ''
    for await (const c of s) text += c.choices[0]?.delta?.content ?? ''
    expect(text).toBe('Call me at [PHONE] or mail [EMAIL], card [CARD], ID [CN_ID]. Thanks!')
    const r = await openai().chat.completions.create({ model: 'guarded', messages: [{ role: 'user', content: 'hi' }] })
    expect(r.choices[0]!.message.content).toBe(text)
  })

  it('json-guard: an answer that is not the JSON asked for is asked for once more, then sent with a note on the log row', async () => {
    const before = upstreamCalls()
    const r = await openai().chat.completions.create({ model: 'json-checked', response_format: { type: 'json_object' }, messages: [{ role: 'user', content: 'JSON please' }] }).withResponse()
    expect(r.data.choices[0]!.message.content).toBe('Hello from openai-chat!')
    expect(upstreamCalls() - before).toBe(2)
    const row = await logged(r.response.headers.get('x-request-id')!)
    expect(row.warnings).toContain('plugin=json-guard: asked for one more upstream call (the answer is not JSON)')
    expect(row.warnings).toContain('plugin=json-guard: the answer is not JSON; sent as it is (wanted JSON)')
    expect(row.attempts).toHaveLength(2)
  })

  it('a throwing plugin fails open (the request is served, the log row says so) or closed (a 503), and the server keeps serving', async () => {
    const ok = await openai().chat.completions.create({ model: 'guarded', messages: [{ role: 'user', content: 'hi' }] }).withResponse()
    expect(ok.response.status).toBe(200)
    const row = await logged(ok.response.headers.get('x-request-id')!)
    expect(row.warnings).toContain('plugin=thrower: failed (thrower always throws); skipped (fails open)')
    const closed = await openai().chat.completions.create({ model: 'closed', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)
    expect(closed).toBeInstanceOf(OpenAI.APIError)
    expect((closed as InstanceType<typeof OpenAI.APIError>).status).toBe(503)
    expect((closed as Error).message).toContain("plugin 'thrower' failed")
    const after = await openai().chat.completions.create({ model: 'uncached', messages: [{ role: 'user', content: 'still there?' }] })
    expect(after.choices[0]!.message.content).toBe('Hello from openai-chat!')
    const h = (await (await fetch(`${server.url}/health/detailed`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as any
    expect(h.plugins.list.find((p: any) => p.name === 'thrower').errors).toBeGreaterThanOrEqual(2)
    const m = await (await fetch(`${server.url}/metrics`)).text()
    expect(m).toMatch(/rosetta_plugin_failures_total\{plugin="thrower",kind="error"\} [1-9]/)
  })
})
