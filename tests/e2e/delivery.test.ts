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

const config = (up: string) => `
providers:
  - { id: pool, type: openai, base_url: "${up}/openai/v1", key_strategy: fill-first, keys: [sk-a-k401-x, sk-b-k429-x, sk-c-good] }
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
models:
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
client_keys:
  - { name: test, key: ${CLIENT_KEY} }
`

beforeAll(async () => {
  mock = await startMockUpstream()
  server = await startServer({ config: config(mock.url) })
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
  it('the client gets its answer while a healthy key remains: invalid keys are disabled with the reason, limited ones rest', async () => {
    const from = mock.requests.length
    const r = await ask('oa-text')
    expect(r.choices[0]!.message.content).toBe('Hello from openai-chat!')
    expect(keysSeen(from)).toEqual(['sk-a-k401-x', 'sk-b-k429-x', 'sk-c-good'])
    const states = await keyState('pool')
    expect(states.map((s) => s[0])).toEqual(['sk…-x', 'sk…-x', 'sk…od']) // masked, never the key
    expect(states[0]!.slice(1)).toEqual(['disabled', expect.stringContaining('authentication'), false])
    expect(states[1]!.slice(1, 2)).toEqual(['resting'])
    expect(states[2]!.slice(1, 2)).toEqual(['active'])
    // Next time the disabled and the resting key are not even tried.
    const from2 = mock.requests.length
    await ask('oa-text')
    expect(keysSeen(from2)).toEqual(['sk-c-good'])
  })

  it('a resting key comes back by itself when its time is up', async () => {
    // sk-b got a 429 without retry-after: the first rest is 2 s.
    await new Promise((r) => setTimeout(r, 2300))
    const states = await keyState('pool')
    expect(states[1]![1]).toBe('active')
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
    server = await startServer({ config: config(mock.url), dir: server.dir })
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
