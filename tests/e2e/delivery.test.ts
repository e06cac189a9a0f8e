import { describe, expect, it } from 'vitest'
import OpenAI from 'openai'
import Anthropic from '@anthropic-ai/sdk'
import { CLIENT_KEY } from './support/server'
import { useDeliveryServer } from './support/delivery'

/** Delivery under failure: key pools, cooldowns, failover, budgets, concurrency caps (fixture: support/delivery.ts). */
const d = useDeliveryServer()
const { ask, keysSeen, trpc, keyState } = d

describe('delivery', () => {
  it('the client gets its answer while a healthy key remains: invalid keys are disabled with the reason, limited ones rest for that model', async () => {
    const from = d.mock.requests.length
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
    const from2 = d.mock.requests.length
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
    const from = d.mock.requests.length
    const spare = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${d.server.url}/v1/spare`, maxRetries: 0 })
    const e = await spare.chat.completions.create({ model: 'oa-e400', messages: [{ role: 'user', content: 'x' }] }).catch((x) => x)
    expect(e).toBeInstanceOf(OpenAI.BadRequestError)
    expect(d.mock.requests.length - from).toBe(1)
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
    const from = d.mock.requests.length
    const r = await ask('resilient')
    expect(r.choices[0]!.message.content).toBe('Hello from openai-chat!')
    expect(keysSeen(from)).toEqual(['sk-x-k500-x', 'sk-r-kreset-x', 'sk-spare'])
  })

  it('never makes more attempts than the budget (4)', async () => {
    const from = d.mock.requests.length
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
    let from = d.mock.requests.length
    await ask('picky', { tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }] })
    expect(keysSeen(from)).toEqual(['sk-spare'])
    from = d.mock.requests.length
    await ask('picky', { response_format: { type: 'json_object' } })
    expect(keysSeen(from)).toEqual(['sk-textonly'])
  })

  it('no key is used above its concurrency cap: a key at its cap is skipped, not queued behind', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => ask('cap-hold').then(() => 200, (e) => e.status)))
    expect(results.filter((s) => s === 200).length).toBe(2)
    expect(results.filter((s) => s === 429).length).toBe(2)
    expect(d.mock.maxInFlight.get('sk-cap-1')).toBe(1)
    expect(d.mock.maxInFlight.get('sk-cap-2')).toBe(1)
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
    await d.restart()
    const states = await keyState('pool')
    expect(states[0]!.slice(1, 3)).toEqual(['disabled', expect.stringContaining('authentication')])
    expect(states[2]![1]).toBe('active')
  })

  it('under load, a pool where one key fails half its requests delivers every request, and that key mostly rests', async () => {
    const anthropic = new Anthropic({ apiKey: CLIENT_KEY, baseURL: d.server.url, maxRetries: 0 })
    const from = d.mock.requests.length
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
