import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import OpenAI from 'openai'
import Anthropic from '@anthropic-ai/sdk'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'
import { ADMIN_KEY, CLIENT_KEY, startServer, type RunningServer } from './support/server'

/**
 * Delivery under failure: key pools, cooldowns, failover, budgets, concurrency caps. The mock fails
 * on purpose by upstream key (`-k401-` revoked, `-k429-` limited, `-kquota-`, `-k500-`, `-kreset-`,
 * `-kflaky-`) or by scenario (`slowheaders`, `hold`).
 */
let mock: MockUpstream
let server: RunningServer
// A short stream idle bound so a silent upstream is detected quickly; the default wait bound (10 s).
const SERVER_ENV = { NUXT_STREAM_IDLE_TIMEOUT_MS: '600', NUXT_RETRY_WAIT_MAX_MS: '10000' }

const config = (up: string) => `
providers:
  - { id: pool, type: openai, base_url: "${up}/openai/v1", key_strategy: fill-first, keys: [sk-a-k401-x, sk-b-k429ra-x, sk-c-good] }
  - { id: quota-pool, type: openai, base_url: "${up}/openai/v1", key_strategy: fill-first, keys: [sk-d-kquota-x, sk-e-good] }
  - id: capped
    type: openai
    base_url: "${up}/openai/v1"
    keys: [ { key: sk-cap-1, max_concurrency: 1 }, { key: sk-cap-2, max_concurrency: 1 } ]
  - { id: flaky, type: anthropic, base_url: "${up}/anthropic/v1", keys: [sk-f1-kflaky-x, sk-f2-good, sk-f3-good] }
  - { id: down, type: gemini, base_url: "http://127.0.0.1:9/v1beta", keys: [AIza-down] }
  - { id: broken, type: openai, base_url: "${up}/openai/v1", keys: [sk-x-k500-x] }
  - { id: broken-b, type: openai, base_url: "${up}/openai/v1", keys: [sk-xb-k500-x] }
  - { id: broken-c, type: openai, base_url: "${up}/openai/v1", keys: [sk-xc-k500-x] }
  - { id: resetter, type: openai, base_url: "${up}/openai/v1", keys: [sk-r-kreset-x] }
  - { id: slow, type: openai, base_url: "${up}/openai/v1", timeout_ms: 300, keys: [sk-slow] }
  - { id: textonly, type: openai, base_url: "${up}/openai/v1", keys: [sk-textonly], capabilities: [json] }
  - { id: spare, type: openai, base_url: "${up}/openai/v1", keys: [sk-spare] }
  # Single-key providers for the scripted faults (mock.script): each test has its own, so one test's
  # rests and circuits never reach another's.
  - { id: solo, type: openai, base_url: "${up}/openai/v1", keys: [sk-solo] }
  - { id: solo-guard, type: openai, base_url: "${up}/openai/v1", keys: [sk-solo-guard] }
  - { id: solo-an, type: anthropic, base_url: "${up}/anthropic/v1", keys: [sk-solo-an] }
  - { id: solo-rs, type: openai-responses, base_url: "${up}/openai/v1", keys: [sk-solo-rs] }
  - { id: solo-shaky, type: openai, base_url: "${up}/openai/v1", keys: [sk-solo-shaky] }
  - { id: solo-bare, type: openai, base_url: "${up}/openai/v1", keys: [sk-solo-bare] }
  - { id: emb-a, type: openai, base_url: "${up}/openai/v1", keys: [sk-emb-a] }
  - { id: emb-b, type: openai, base_url: "${up}/openai/v1", keys: [sk-emb-b] }
  - { id: backup, type: openai, base_url: "${up}/openai/v1", keys: [sk-backup] }
models:
  - name: guarded
    targets: [ { provider: solo-guard, model: sg-guarded } ]
    fallbacks: [ { provider: backup, model: oa-text } ]
  - name: shaky
    targets: [ { provider: solo-shaky, model: sq-shaky } ]
    fallbacks: [ { provider: backup, model: oa-text } ]
  - name: hushed
    targets: [ { provider: solo-shaky, model: sq-hushed } ]
    fallbacks: [ { provider: backup, model: oa-text } ]
  - name: emb-one
    targets: [ { provider: emb-a, model: oa-embed-same } ]
  - name: emb-two
    targets: [ { provider: emb-b, model: oa-embed-same } ]
  - name: resilient
    targets: [ { provider: down, model: gm-text } ]
    fallbacks: [ { provider: broken, model: oa-text }, { provider: resetter, model: oa-text }, { provider: spare, model: oa-text } ]
  - name: doomed
    targets: [ { provider: broken, model: oa-text } ]
    fallbacks: [ { provider: resetter, model: oa-text }, { provider: down, model: gm-text }, { provider: broken-b, model: oa-text }, { provider: broken-c, model: oa-text } ]
  - name: slowpoke
    targets: [ { provider: slow, model: oa-slowheaders } ]
    fallbacks: [ { provider: spare, model: oa-text } ]
  - name: picky
    targets: [ { provider: textonly, model: oa-text } ]
    fallbacks: [ { provider: spare, model: oa-text } ]
routes:
  - { name: pool, match: { prefix: "oa-" }, provider: pool }
  - { name: quota, match: { prefix: "qq-" }, provider: quota-pool }
  - { name: capped, match: { prefix: "cap-" }, provider: capped }
  - { name: flaky, match: { prefix: "an-" }, provider: flaky }
  - { name: solo, match: { prefix: "so-" }, provider: solo }
  - { name: solo-guard, match: { prefix: "sg-" }, provider: solo-guard }
  - { name: solo-an, match: { prefix: "sx-" }, provider: solo-an }
  - { name: solo-rs, match: { prefix: "sr-" }, provider: solo-rs }
  - { name: solo-bare, match: { prefix: "sb-" }, provider: solo-bare }
client_keys:
  - { name: test, key: ${CLIENT_KEY} }
`

beforeAll(async () => {
  mock = await startMockUpstream()
  server = await startServer({ config: config(mock.url), env: SERVER_ENV })
})
afterAll(async () => {
  await server?.stop()
  await mock?.close()
})

const openai = () => new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${server.url}/v1`, maxRetries: 0 })
const ask = (model: string, extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming> = {}) =>
  openai().chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], ...extra })
const keysSeen = (from: number) => mock.requests.slice(from).map((r) => String(r.headers.authorization ?? r.headers['x-api-key']).replace('Bearer ', ''))
async function trpc(path: string, input?: unknown) {
  const q = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`
  const r = await fetch(`${server.url}/api/trpc/${path}${q}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
  const body = (await r.json()) as any
  if (!r.ok) throw new Error(JSON.stringify(body))
  return body.result.data
}
const keyState = async (provider: string) => ((await trpc('keys.list', { provider })) as any[]).map((k) => [k.hint, k.status, k.disabledReason, k.restingUntil !== null])

describe('delivery', () => {
  it('the client gets its answer while a healthy key remains: invalid keys are disabled with the reason, limited ones rest for that model', async () => {
    const from = mock.requests.length
    const r = await ask('oa-text')
    expect(r.choices[0]!.message.content).toBe('Hello from openai-chat!')
    expect(keysSeen(from)).toEqual(['sk-a-k401-x', 'sk-b-k429ra-x', 'sk-c-good'])
    const states = await keyState('pool')
    expect(states.map((s) => s[0])).toEqual(['sk…-x', 'sk-b…ra-x', 'sk…od']) // masked, never the key
    expect(states[0]!.slice(1)).toEqual(['disabled', expect.stringContaining('authentication'), false])
    // A rate limit rests the key for this upstream model only (retry-after: 2): the key itself stays active.
    expect(states[1]!.slice(1, 2)).toEqual(['active'])
    const pool = (await trpc('keys.list', { provider: 'pool' })) as any[]
    expect(pool[1].restingModels.map((m: any) => m.model)).toEqual(['oa-text'])
    expect(states[2]!.slice(1, 2)).toEqual(['active'])
    // Next time the disabled and the resting key are not even tried.
    const from2 = mock.requests.length
    await ask('oa-text')
    expect(keysSeen(from2)).toEqual(['sk-c-good'])
  })

  it('a resting key comes back by itself when its time is up', async () => {
    // sk-b got a 429 with retry-after: 2.
    await new Promise((r) => setTimeout(r, 2300))
    const pool = (await trpc('keys.list', { provider: 'pool' })) as any[]
    expect(pool[1].restingModels).toEqual([])
  })

  it('a bad request goes back at once: one attempt, no key penalised', async () => {
    const from = mock.requests.length
    const spare = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${server.url}/v1/spare`, maxRetries: 0 })
    const e = await spare.chat.completions.create({ model: 'oa-e400', messages: [{ role: 'user', content: 'x' }] }).catch((x) => x)
    expect(e).toBeInstanceOf(OpenAI.BadRequestError)
    expect(mock.requests.length - from).toBe(1)
    const [k] = (await trpc('keys.list', { provider: 'spare' })) as any[]
    expect(k).toMatchObject({ status: 'active', restingUntil: null, disabledReason: null, failures: { invalid_request: 1 } })
  })

  it('a spent quota rests the key for long and the next key answers', async () => {
    const r = await ask('qq-text')
    expect(r.choices[0]!.message.content).toBe('Hello from openai-chat!')
    const keys = (await trpc('keys.list', { provider: 'quota-pool' })) as any[]
    expect(keys[0].status).toBe('resting')
    expect(Date.parse(keys[0].restingUntil) - Date.now()).toBeGreaterThan(30 * 60_000)
    expect(keys[0].failures).toEqual({ quota: 1 })
  })

  it('fails over across providers: unreachable, 500, connection reset, then a healthy fallback', async () => {
    const from = mock.requests.length
    const r = await ask('resilient')
    expect(r.choices[0]!.message.content).toBe('Hello from openai-chat!')
    expect(keysSeen(from)).toEqual(['sk-x-k500-x', 'sk-r-kreset-x', 'sk-spare'])
  })

  it('never makes more attempts than the budget (4)', async () => {
    const from = mock.requests.length
    const e = await ask('doomed').catch((x) => x)
    expect(e).toBeInstanceOf(OpenAI.InternalServerError)
    // broken, resetter, down (never reaches the mock), broken-b — and broken-c is never tried.
    expect(keysSeen(from)).toEqual(['sk-x-k500-x', 'sk-r-kreset-x', 'sk-xb-k500-x'])
  })

  it('slow headers time out and the fallback answers', async () => {
    const t = Date.now()
    const r = await ask('slowpoke')
    expect(r.choices[0]!.message.content).toBe('Hello from openai-chat!')
    expect(Date.now() - t).toBeLessThan(1400)
  })

  it('targets lacking a capability the request needs are skipped', async () => {
    let from = mock.requests.length
    await ask('picky', { tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }] })
    expect(keysSeen(from)).toEqual(['sk-spare'])
    from = mock.requests.length
    await ask('picky', { response_format: { type: 'json_object' } })
    expect(keysSeen(from)).toEqual(['sk-textonly'])
  })

  it('no key is used above its concurrency cap: a key at its cap is skipped, not queued behind', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => ask('cap-hold').then(() => 200, (e) => e.status)))
    expect(results.filter((s) => s === 200).length).toBe(2)
    expect(results.filter((s) => s === 429).length).toBe(2)
    expect(mock.maxInFlight.get('sk-cap-1')).toBe(1)
    expect(mock.maxInFlight.get('sk-cap-2')).toBe(1)
  })

  it('the routing explanation says which rule and target, and why', async () => {
    const r = await trpc('routes.test', { model: 'resilient' })
    expect(r.rule).toBe('model:resilient')
    expect(r.targets.map((t: any) => [t.provider, t.role])).toEqual([
      ['down', 'target'],
      ['broken', 'fallback'],
      ['resetter', 'fallback'],
      ['spare', 'fallback'],
    ])
    expect(r.why).toContain("model entry 'resilient' → down/gm-text")
  })

  it('key states survive a restart: a disabled key stays disabled, with its reason', async () => {
    await server.stop('SIGTERM', { keepDir: true })
    server = await startServer({ config: config(mock.url), dir: server.dir, env: SERVER_ENV })
    const states = await keyState('pool')
    expect(states[0]!.slice(1, 3)).toEqual(['disabled', expect.stringContaining('authentication')])
    expect(states[2]![1]).toBe('active')
  })

  it('under load, a pool where one key fails half its requests delivers every request, and that key mostly rests', async () => {
    const anthropic = new Anthropic({ apiKey: CLIENT_KEY, baseURL: server.url, maxRetries: 0 })
    const from = mock.requests.length
    const N = 300
    let ok = 0
    let next = 0
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < N) {
          next++
          const m = await anthropic.messages.create({ model: 'an-text', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
          if (m.content[0]?.type === 'text') ok++
        }
      }),
    )
    expect(ok).toBe(N)
    const seen = keysSeen(from)
    const flaky = seen.filter((k) => k.includes('kflaky')).length
    expect(flaky).toBeLessThan(N * 0.1)
    const states = (await trpc('keys.list', { provider: 'flaky' })) as any[]
    expect(states[0].failures.rate_limit).toBeGreaterThanOrEqual(1)
  })
})

const seenFor = (model: string) => mock.requests.filter((r) => r.body?.model === model).length
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** The log is written in batches: poll until the row is there. */
async function logged(requestId: string): Promise<any> {
  for (let i = 0; i < 60; i++) {
    try {
      return await trpc('logs.get', { requestId })
    } catch {
      await sleep(100)
    }
  }
  throw new Error(`${requestId} never reached the log`)
}
const circuitOf = async (model: string, provider: string) => ((await trpc('routes.test', { model })).targets as any[]).find((t) => t.provider === provider).circuit
const post = (path: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body), signal })

describe('delivery never turns an upstream hiccup into an outage', () => {
  it('a single-key provider answers five 500s, then recovers: the next request reaches it and succeeds', async () => {
    mock.script('so-recover', ['e500', 'e500', 'e500', 'e500', 'e500'])
    for (let i = 1; i <= 5; i++) {
      const e = await ask('so-recover').catch((x) => x)
      expect(e).toBeInstanceOf(OpenAI.InternalServerError)
      expect(seenFor('so-recover')).toBe(i) // every one reached the upstream
    }
    const r = await ask('so-recover')
    expect(r.choices[0]!.message.content).toBe('Hello from openai-chat!')
    expect(seenFor('so-recover')).toBe(6)
    // Five 500s never rest the key.
    const [k] = (await trpc('keys.list', { provider: 'solo' })) as any[]
    expect(k).toMatchObject({ status: 'active', restingUntil: null, restingModels: [] })
  })

  it('a 429 with retry-after: 1, then healthy: one client request gets a 200 after about 1 s', async () => {
    mock.script('so-wait', ['e429-ra1'])
    const t = Date.now()
    const r = await ask('so-wait')
    const took = Date.now() - t
    expect(r.choices[0]!.message.content).toBe('Hello from openai-chat!')
    expect(seenFor('so-wait')).toBe(2)
    expect(took).toBeGreaterThanOrEqual(950)
    expect(took).toBeLessThan(5000)
  })

  it('waits for a retry-after while streaming too, before the first byte', async () => {
    mock.script('so-wait-stream', ['e429-ra1'])
    const stream = await openai().chat.completions.create({ model: 'so-wait-stream', messages: [{ role: 'user', content: 'hi' }], stream: true })
    let text = ''
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? ''
    expect(text).toBe('Hello from openai-chat!')
    expect(seenFor('so-wait-stream')).toBe(2)
  })

  it('a 429 for model A does not stop model B on the same key; A is refused locally with the time left', async () => {
    mock.script('so-model-a', ['e429-ra30'])
    const e = await ask('so-model-a').catch((x) => x)
    expect(e).toBeInstanceOf(OpenAI.RateLimitError)
    expect(e.headers.get('retry-after')).toBe('30')
    const r = await ask('so-text')
    expect(r.choices[0]!.message.content).toBe('Hello from openai-chat!')
    expect(keysSeen(mock.requests.length - 1)).toEqual(['sk-solo'])
    // The upstream asked for 30 s, longer than the 10 s a request may wait: refused without a call.
    const again = await ask('so-model-a').catch((x) => x)
    expect(again).toBeInstanceOf(OpenAI.RateLimitError)
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(20)
    expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(30)
    expect(again.message).toContain("provider 'solo'")
    expect(seenFor('so-model-a')).toBe(1)
  })

  it('three consecutive 500s on model A do not open its circuit; a sustained majority does; model B is unaffected', async () => {
    mock.script('sg-guarded', ['e500', 'e500', 'e500', 'ok'], 'e500')
    for (let i = 0; i < 3; i++) {
      const from = mock.requests.length
      expect((await ask('guarded')).choices[0]!.message.content).toBe('Hello from openai-chat!')
      expect(keysSeen(from)).toEqual(['sk-solo-guard', 'sk-backup'])
    }
    expect(await circuitOf('guarded', 'solo-guard')).toBe('closed')
    let from = mock.requests.length
    await ask('guarded')
    expect(keysSeen(from)).toEqual(['sk-solo-guard']) // still tried first, and it answered
    // Two more failures: 5 of 6 attempts within 30 s failed.
    for (let i = 0; i < 2; i++) await ask('guarded')
    expect(await circuitOf('guarded', 'solo-guard')).toBe('open')
    from = mock.requests.length
    await ask('guarded')
    expect(keysSeen(from)).toEqual(['sk-backup']) // the open circuit is passed over while the fallback is ready
    from = mock.requests.length
    expect((await ask('sg-text')).choices[0]!.message.content).toBe('Hello from openai-chat!')
    expect(keysSeen(from)).toEqual(['sk-solo-guard'])
    expect(await circuitOf('sg-text', 'solo-guard')).toBe('closed')
  })

  it('a cancelled stream leaves key, model and provider state untouched, and is logged as cancelled', async () => {
    const ac = new AbortController()
    const r = await post('/v1/messages', { model: 'sx-slow', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'x' }] }, ac.signal)
    expect(r.status).toBe(200)
    const requestId = r.headers.get('x-request-id')!
    const reader = r.body!.getReader()
    await reader.read()
    ac.abort()
    await sleep(300)
    const [k] = (await trpc('keys.list', { provider: 'solo-an' })) as any[]
    expect(k).toMatchObject({ status: 'active', failures: {}, lastError: null, restingUntil: null, restingModels: [] })
    expect(await circuitOf('sx-slow', 'solo-an')).toBe('closed')
    const row = await logged(requestId)
    expect(row).toMatchObject({ status: 499, errorKind: 'cancelled' })
    const health = (await (await fetch(`${server.url}/health/detailed`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as any
    expect(health.providers.find((x: any) => x.id === 'solo-an')).toMatchObject({ lastError: null })
    const errors = await trpc('logs.list', { since: '1h', status: 'error', provider: 'solo-an' })
    expect(errors.items).toEqual([])
  })

  it('a stream the client closes right after its terminal event is logged as a success', async () => {
    mock.script('sr-linger', ['linger'])
    const ac = new AbortController()
    const r = await post('/v1/responses', { model: 'sr-linger', input: 'hi', stream: true }, ac.signal)
    expect(r.status).toBe(200)
    const requestId = r.headers.get('x-request-id')!
    const reader = r.body!.getReader()
    const dec = new TextDecoder()
    let text = ''
    while (!text.includes('response.completed')) {
      const { value, done } = await reader.read()
      if (done) break
      text += dec.decode(value)
    }
    expect(text).toContain('response.completed')
    ac.abort() // as Codex does: the upstream connection is still open for another second
    await sleep(300)
    const row = await logged(requestId)
    expect(row).toMatchObject({ status: 200, errorKind: null, errorMessage: null })
    const [k] = (await trpc('keys.list', { provider: 'solo-rs' })) as any[]
    expect(k).toMatchObject({ failures: {}, lastError: null, successes: 1 })
  })

  it('a malformed or silent upstream stream with a healthy fallback: every request is answered by the fallback', async () => {
    mock.script('sq-shaky', [], 'garbage')
    const read = async (model: string) => {
      const s = await openai().chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true })
      let text = ''
      for await (const c of s) text += c.choices[0]?.delta?.content ?? ''
      return text
    }
    const from = seenFor('sq-shaky')
    for (let i = 0; i < 6; i++) expect(await read('shaky')).toBe('Hello from openai-chat!')
    expect(seenFor('sq-shaky') - from).toBeGreaterThanOrEqual(5) // tried until its circuit opened
    mock.script('sq-hushed', [], 'silent')
    const t = Date.now()
    for (let i = 0; i < 2; i++) expect(await read('hushed')).toBe('Hello from openai-chat!')
    expect(seenFor('sq-hushed')).toBe(2)
    expect(Date.now() - t).toBeGreaterThanOrEqual(2 * 550) // each waited out the 600 ms idle bound
  })

  it('a silent stream without a fallback: a 504 in the client dialect after the idle bound; the next request succeeds', async () => {
    mock.script('so-silent', ['silent'])
    const t = Date.now()
    const e = await openai()
      .chat.completions.create({ model: 'so-silent', messages: [{ role: 'user', content: 'hi' }], stream: true })
      .catch((x) => x)
    expect(e).toBeInstanceOf(OpenAI.APIError)
    expect(e.status).toBe(504)
    expect(Date.now() - t).toBeGreaterThanOrEqual(550)
    expect(seenFor('so-silent')).toBe(1)
    expect((await ask('so-silent')).choices[0]!.message.content).toBe('Hello from openai-chat!')
  })

  it('without a fallback, a broken stream is an error in the client dialect, and the log row says so', async () => {
    const anthropic = new Anthropic({ apiKey: CLIENT_KEY, baseURL: server.url, maxRetries: 0 })
    // Nothing readable before the first byte: a proper error response, not an empty success.
    mock.script('sb-garbage', ['garbage'])
    const e = await anthropic.messages.create({ model: 'sb-garbage', max_tokens: 5, messages: [{ role: 'user', content: 'x' }], stream: true }).catch((x) => x)
    expect(e).toBeInstanceOf(Anthropic.APIError)
    expect(e.status).toBeGreaterThanOrEqual(500)
    expect(e.error?.type).toBe('error')
    const row1 = await logged(e.headers.get('x-request-id'))
    expect(row1).toMatchObject({ status: e.status, errorKind: 'upstream_error', errorMessage: expect.stringContaining('without any readable event') })
    // Cut after the first event: an in-band error event, never a clean message_stop.
    mock.script('sb-truncated', ['truncated'])
    const r = await post('/v1/messages', { model: 'sb-truncated', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'x' }] })
    const text = await r.text()
    expect(r.status).toBe(200)
    expect(text).toContain('event: error')
    expect(text).not.toContain('message_stop')
    const row2 = await logged(r.headers.get('x-request-id')!)
    expect(row2).toMatchObject({ errorKind: 'upstream_error', errorMessage: expect.stringContaining('before its final event') })
  })

  it('embeddings: the cache key includes the provider; a hit takes no key slot and makes no upstream attempt', async () => {
    const input = `cache by provider ${Date.now()}`
    const embed = (model: string) => post('/v1/embeddings', { model, input })
    const r1 = await embed('emb-one')
    expect(r1.status).toBe(200)
    const v1 = ((await r1.json()) as any).data[0].embedding
    await sleep(300) // the cache write is in the background
    const before = mock.requests.length
    const [k0] = (await trpc('keys.list', { provider: 'emb-a' })) as any[]
    const r2 = await embed('emb-one')
    const v2 = ((await r2.json()) as any).data[0].embedding as number[]
    v2.forEach((x, i) => expect(x).toBeCloseTo(v1[i], 5)) // the cache keeps float32
    expect(mock.requests.length).toBe(before)
    const [k1] = (await trpc('keys.list', { provider: 'emb-a' })) as any[]
    expect(k1.requests).toBe(k0.requests)
    const row = await logged(r2.headers.get('x-request-id')!)
    expect(row).toMatchObject({ status: 200, cacheHit: true, providerId: 'emb-a', upstreamModel: 'oa-embed-same' })
    expect(row.attempts ?? []).toEqual([])
    // Another provider with the same upstream model name is not served from emb-a's entry.
    const r3 = await embed('emb-two')
    expect(r3.status).toBe(200)
    expect(mock.requests.length).toBe(before + 1)
    expect(keysSeen(before)).toEqual(['sk-emb-b'])
  })
})

describe('an unreadable upstream frame in the middle of a stream (issue 20 item 3)', () => {
  const WARNING = "dropped=stream: 1 upstream stream chunk from 'solo-an' did not parse as JSON and was skipped"

  it('converted (OpenAI client, Anthropic upstream): the answer completes and the log row says a chunk was skipped', async () => {
    mock.script('sx-noisy-conv', ['noisy'])
    const { data: stream, response } = await openai()
      .chat.completions.create({ model: 'sx-noisy-conv', messages: [{ role: 'user', content: 'hi' }], stream: true })
      .withResponse()
    let text = ''
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? ''
    expect(text).toBe('Hello from anthropic!')
    const row = await logged(response.headers.get('x-request-id')!)
    expect(row.status).toBe(200)
    expect(row.warnings).toBe(WARNING)
  })

  it('same dialect (passed through byte for byte): the log row still says a chunk was skipped', async () => {
    mock.script('sx-noisy-pipe', ['noisy'])
    const r = await post('/v1/messages', { model: 'sx-noisy-pipe', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }], stream: true })
    const body = await r.text()
    expect(r.status).toBe(200)
    expect(body).toContain('data: {"half a frame')
    expect(body).toContain('message_stop')
    const row = await logged(r.headers.get('x-request-id')!)
    expect(row.warnings).toBe(WARNING)
  })
})
