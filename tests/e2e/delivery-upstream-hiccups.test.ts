import { describe, expect, it } from 'vitest'
import OpenAI from 'openai'
import Anthropic from '@anthropic-ai/sdk'
import { ADMIN_KEY, CLIENT_KEY } from './support/server'
import { useDeliveryServer, sleep } from './support/delivery'

/** Short upstream faults (5xx runs, 429 with retry-after, broken or silent streams) never become an outage for the client. */
const d = useDeliveryServer()
const { openai, ask, keysSeen, trpc, seenFor, logged, circuitOf, post } = d

describe('delivery never turns an upstream hiccup into an outage', () => {
  it('a single-key provider answers five 500s, then recovers: the next request reaches it and succeeds', async () => {
    d.mock.script('so-recover', ['e500', 'e500', 'e500', 'e500', 'e500'])
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
    d.mock.script('so-wait', ['e429-ra1'])
    const t = Date.now()
    const r = await ask('so-wait')
    const took = Date.now() - t
    expect(r.choices[0]!.message.content).toBe('Hello from openai-chat!')
    expect(seenFor('so-wait')).toBe(2)
    expect(took).toBeGreaterThanOrEqual(950)
    expect(took).toBeLessThan(5000)
  })

  it('waits for a retry-after while streaming too, before the first byte', async () => {
    d.mock.script('so-wait-stream', ['e429-ra1'])
    const stream = await openai().chat.completions.create({ model: 'so-wait-stream', messages: [{ role: 'user', content: 'hi' }], stream: true })
    let text = ''
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? ''
    expect(text).toBe('Hello from openai-chat!')
    expect(seenFor('so-wait-stream')).toBe(2)
  })

  it('a 429 for model A does not stop model B on the same key; A is refused locally with the time left', async () => {
    d.mock.script('so-model-a', ['e429-ra30'])
    const e = await ask('so-model-a').catch((x) => x)
    expect(e).toBeInstanceOf(OpenAI.RateLimitError)
    expect(e.headers.get('retry-after')).toBe('30')
    const r = await ask('so-text')
    expect(r.choices[0]!.message.content).toBe('Hello from openai-chat!')
    expect(keysSeen(d.mock.requests.length - 1)).toEqual(['sk-solo'])
    // The upstream asked for 30 s, longer than the 10 s a request may wait: refused without a call.
    const again = await ask('so-model-a').catch((x) => x)
    expect(again).toBeInstanceOf(OpenAI.RateLimitError)
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(20)
    expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(30)
    expect(again.message).toContain("provider 'solo'")
    expect(seenFor('so-model-a')).toBe(1)
  })

  it('three consecutive 500s on model A do not open its circuit; a sustained majority does; model B is unaffected', async () => {
    d.mock.script('sg-guarded', ['e500', 'e500', 'e500', 'ok'], 'e500')
    for (let i = 0; i < 3; i++) {
      const from = d.mock.requests.length
      expect((await ask('guarded')).choices[0]!.message.content).toBe('Hello from openai-chat!')
      expect(keysSeen(from)).toEqual(['sk-solo-guard', 'sk-backup'])
    }
    expect(await circuitOf('guarded', 'solo-guard')).toBe('closed')
    let from = d.mock.requests.length
    await ask('guarded')
    expect(keysSeen(from)).toEqual(['sk-solo-guard']) // still tried first, and it answered
    // Two more failures: 5 of 6 attempts within 30 s failed.
    for (let i = 0; i < 2; i++) await ask('guarded')
    expect(await circuitOf('guarded', 'solo-guard')).toBe('open')
    from = d.mock.requests.length
    await ask('guarded')
    expect(keysSeen(from)).toEqual(['sk-backup']) // the open circuit is passed over while the fallback is ready
    from = d.mock.requests.length
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
    const health = (await (await fetch(`${d.server.url}/health/detailed`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as any
    expect(health.providers.find((x: any) => x.id === 'solo-an')).toMatchObject({ lastError: null })
    const errors = await trpc('logs.list', { since: '1h', status: 'error', provider: 'solo-an' })
    expect(errors.items).toEqual([])
  })

  it('a stream the client closes right after its terminal event is logged as a success', async () => {
    d.mock.script('sr-linger', ['linger'])
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
    d.mock.script('sq-shaky', [], 'garbage')
    const read = async (model: string) => {
      const s = await openai().chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true })
      let text = ''
      for await (const c of s) text += c.choices[0]?.delta?.content ?? ''
      return text
    }
    const from = seenFor('sq-shaky')
    for (let i = 0; i < 6; i++) expect(await read('shaky')).toBe('Hello from openai-chat!')
    expect(seenFor('sq-shaky') - from).toBeGreaterThanOrEqual(5) // tried until its circuit opened
    d.mock.script('sq-hushed', [], 'silent')
    const t = Date.now()
    for (let i = 0; i < 2; i++) expect(await read('hushed')).toBe('Hello from openai-chat!')
    expect(seenFor('sq-hushed')).toBe(2)
    expect(Date.now() - t).toBeGreaterThanOrEqual(2 * 550) // each waited out the 600 ms idle bound
  })

  it('a silent stream without a fallback: a 504 in the client dialect after the idle bound; the next request succeeds', async () => {
    d.mock.script('so-silent', ['silent'])
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
    const anthropic = new Anthropic({ apiKey: CLIENT_KEY, baseURL: d.server.url, maxRetries: 0 })
    // Nothing readable before the first byte: a proper error response, not an empty success.
    d.mock.script('sb-garbage', ['garbage'])
    const e = await anthropic.messages.create({ model: 'sb-garbage', max_tokens: 5, messages: [{ role: 'user', content: 'x' }], stream: true }).catch((x) => x)
    expect(e).toBeInstanceOf(Anthropic.APIError)
    expect(e.status).toBeGreaterThanOrEqual(500)
    expect(e.error?.type).toBe('error')
    const row1 = await logged(e.headers.get('x-request-id'))
    expect(row1).toMatchObject({ status: e.status, errorKind: 'upstream_error', errorMessage: expect.stringContaining('without any readable event') })
    // Cut after the first event: an in-band error event, never a clean message_stop.
    d.mock.script('sb-truncated', ['truncated'])
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
    const before = d.mock.requests.length
    const [k0] = (await trpc('keys.list', { provider: 'emb-a' })) as any[]
    const r2 = await embed('emb-one')
    const v2 = ((await r2.json()) as any).data[0].embedding as number[]
    v2.forEach((x, i) => expect(x).toBeCloseTo(v1[i], 5)) // the cache keeps float32
    expect(d.mock.requests.length).toBe(before)
    const [k1] = (await trpc('keys.list', { provider: 'emb-a' })) as any[]
    expect(k1.requests).toBe(k0.requests)
    const row = await logged(r2.headers.get('x-request-id')!)
    expect(row).toMatchObject({ status: 200, cacheHit: true, providerId: 'emb-a', upstreamModel: 'oa-embed-same' })
    expect(row.attempts ?? []).toEqual([])
    // Another provider with the same upstream model name is not served from emb-a's entry.
    const r3 = await embed('emb-two')
    expect(r3.status).toBe(200)
    expect(d.mock.requests.length).toBe(before + 1)
    expect(keysSeen(before)).toEqual(['sk-emb-b'])
  })
})
