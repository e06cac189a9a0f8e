import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_KEY, mockConfigYaml, startServer, type RunningServer } from './support/server'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'
import { bearer, rest, trpc } from './support/admin-api'

/**
 * Budgets under concurrency: 50 requests at once against each budget kind. The mock holds each
 * answer 300 ms (`*-hold`) and reports 21 input + 9 output tokens, so without reservations all 50
 * would be admitted before the first one is counted (the issue measured 12× the budget).
 */
let mock: MockUpstream
let server: RunningServer
let U: string
const A = bearer(ADMIN_KEY)
// USD per million tokens for the held models: one request really costs 21 × 1000e-6 + 9 × 2000e-6 = $0.039.
const PRICE = { inputPerM: 1000, outputPerM: 2000 }

beforeAll(async () => {
  mock = await startMockUpstream()
  server = await startServer({ config: mockConfigYaml(mock.url) })
  U = server.url
  const upsert = ['oa-hold', 'an-hold', 'gm-hold', 'rs-hold'].map((pattern) => ({ pattern, ...PRICE }))
  expect((await trpc(U, 'mutation', 'prices.update', { upsert }, A)).status).toBe(200)
})
afterAll(async () => {
  await server?.stop()
  await mock?.close()
})

const MAX_OUT = 20
/** One request per dialect, each with an explicit output limit of MAX_OUT tokens. */
const DOORS = {
  chat: { path: '/v1/chat/completions', body: { model: 'oa-hold', max_tokens: MAX_OUT, messages: [{ role: 'user', content: 'hi' }] } },
  anthropic: { path: '/v1/messages', body: { model: 'an-hold', max_tokens: MAX_OUT, messages: [{ role: 'user', content: 'hi' }] } },
  gemini: { path: '/v1beta/models/gm-hold:generateContent', body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { maxOutputTokens: MAX_OUT } } },
  responses: { path: '/v1/responses', body: { model: 'rs-hold', max_output_tokens: MAX_OUT, input: 'hi' } },
} as const

/** What one request reserves (the documented estimate: body bytes / 3, rounded up, plus its output limit), and its price. */
function reservation(door: keyof typeof DOORS): { tokens: number; usd: number } {
  const input = Math.ceil(Buffer.byteLength(JSON.stringify(DOORS[door].body)) / 3)
  return { tokens: input + MAX_OUT, usd: (input * PRICE.inputPerM + MAX_OUT * PRICE.outputPerM) / 1e6 }
}

const usageOf = async (name: string) => (await trpc(U, 'query', 'clientKeys.list', undefined, A)).body.result.data.find((k: any) => k.name === name).usage

const CASES = [
  { limit: 'tpm', value: 300, door: 'chat', used: 'tokensLastMinute', words: /token rate limit reached: API key 'b-tpm' may use 300 tokens per minute/ },
  { limit: 'dayTokens', value: 300, door: 'anthropic', used: 'dayTokens', words: /daily token budget (reached|spent): API key 'b-dayTokens' may use 300 tokens per day/ },
  { limit: 'monthTokens', value: 300, door: 'gemini', used: 'monthTokens', words: /monthly token budget (reached|spent): API key 'b-monthTokens' may use 300 tokens per month/ },
  { limit: 'dayUsd', value: 0.3, door: 'responses', used: 'dayUsd', words: /daily cost budget (reached|spent): API key 'b-dayUsd' may spend \$0.3 per day/ },
  { limit: 'monthUsd', value: 0.3, door: 'chat', used: 'monthUsd', words: /monthly cost budget (reached|spent): API key 'b-monthUsd' may spend \$0.3 per month/ },
] as const

describe('50 parallel requests against each budget kind', () => {
  for (const c of CASES) {
    it(`${c.limit} ${c.value} (${c.door}): used stays within the budget plus one reservation; refusals are 429s in the dialect naming the limit`, async () => {
      const name = `b-${c.limit}`
      const created = await trpc(U, 'mutation', 'clientKeys.create', { name, [c.limit]: c.value }, A)
      expect(created.status, created.text).toBe(200)
      const key = created.body.result.data.key as string
      const d = DOORS[c.door]
      const replies = await Promise.all(Array.from({ length: 50 }, () => rest(U, 'POST', d.path, d.body, bearer(key))))
      const ok = replies.filter((r) => r.status === 200)
      const refused = replies.filter((r) => r.status === 429)
      expect(ok.length + refused.length).toBe(50)
      expect(ok.length).toBeGreaterThan(0)
      expect(refused.length).toBeGreaterThan(0)
      for (const r of refused) {
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
        if (c.door === 'anthropic') expect(r.body.type).toBe('error')
        if (c.door === 'gemini') expect(r.body.error.status).toBe('RESOURCE_EXHAUSTED')
        expect(r.body.error.message).toMatch(c.words)
      }
      const u = await usageOf(name)
      const one = reservation(c.door)
      const usd = c.limit.endsWith('Usd')
      const used = u[c.used] as number
      expect(used).toBeGreaterThan(0)
      expect(used).toBeLessThanOrEqual(c.value + (usd ? one.usd : one.tokens) + 1e-9)
      // Every admitted request was settled exactly once: its real usage booked, its hold released.
      expect(u.requests).toBe(ok.length)
      expect(u.tokens).toBe(ok.length * 30)
      expect(u).toMatchObject({ inFlight: 0, heldTokens: 0, heldUsd: 0 })
    })
  }

  it('failed and cancelled requests release their reservation too', async () => {
    const created = await trpc(U, 'mutation', 'clientKeys.create', { name: 'b-release', dayTokens: 100_000 }, A)
    const key = created.body.result.data.key as string
    // Upstream errors (the mock's 500 scenario) and clients that leave while the upstream holds the answer.
    const failing = Array.from({ length: 10 }, () => rest(U, 'POST', '/v1/chat/completions', { model: 'oa-e500', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, bearer(key)))
    const leaving = Array.from({ length: 10 }, () =>
      fetch(`${U}/v1/chat/completions`, {
        method: 'POST',
        headers: { ...bearer(key), 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'oa-hold', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
        signal: AbortSignal.timeout(100),
      }).catch((e) => e),
    )
    const failed = await Promise.all(failing)
    expect(failed.every((r) => r.status >= 500)).toBe(true)
    await Promise.all(leaving)
    // The cancelled ones settle when the gateway notices the client left (at the latest when the held answer arrives).
    let u = await usageOf('b-release')
    for (let i = 0; i < 50 && u.inFlight > 0; i++) {
      await new Promise((r) => setTimeout(r, 100))
      u = await usageOf('b-release')
    }
    expect(u).toMatchObject({ requests: 20, inFlight: 0, heldTokens: 0, heldUsd: 0, dayTokens: 0 })
  })
})
