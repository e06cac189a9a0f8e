import { describe, expect, it } from 'vitest'
import { ADMIN_KEY, CLIENT_KEY } from './support/server'
import { bearer, chat, trpc } from './support/admin-api'
import { MOCK_MODEL_LISTS } from './support/mock-upstream'
import { useGateway } from './support/setup'

const gw = useGateway()
const admin = bearer(ADMIN_KEY)

describe('model hub, model discovery and per-key tests (admin API)', () => {
  it('models.offered gives each provider its own /models ids', async () => {
    const r = await trpc(gw.server.url, 'query', 'models.offered', undefined, admin)
    expect(r.status).toBe(200)
    expect(r.body.result.data['mock-openai']).toEqual(MOCK_MODEL_LISTS.openai)
    expect(r.body.result.data['mock-anthropic']).toEqual(MOCK_MODEL_LISTS.anthropic)
  })

  it('models.hub lists every public name with routing, price, capabilities and 24 h usage', async () => {
    const priced = await trpc(gw.server.url, 'mutation', 'prices.update', { upsert: [{ pattern: 'oa-gpt-listed', inputPerM: 1.5, outputPerM: 6, cacheReadPerM: null, cacheWritePerM: null }], remove: [] }, admin)
    expect(priced.status, priced.text).toBe(200)
    // The mock answers a listed name with its plain text scenario when told to.
    gw.mock.script('oa-gpt-listed', [], 'ok')
    expect((await chat(gw.server.url, CLIENT_KEY, 'oa-gpt-listed')).status).toBe(200)

    // The request log is written in batches: wait until the request is counted.
    let hub: any[] = []
    await expect
      .poll(
        async () => {
          hub = (await trpc(gw.server.url, 'query', 'models.hub', undefined, admin)).body.result.data
          return hub.find((m) => m.name === 'oa-gpt-listed')?.usage.requests
        },
        { timeout: 10_000 },
      )
      .toBe(1)
    const listed = hub.find((m) => m.name === 'oa-gpt-listed')
    expect(listed).toMatchObject({ source: 'mock-openai', rule: 'route:openai', targets: [{ provider: 'mock-openai', model: 'oa-gpt-listed', role: 'target' }], price: { inputPerM: 1.5, outputPerM: 6 }, capabilities: null })
    expect(listed.usage.inputTokens).toBeGreaterThan(0)
    expect(listed.usage.costUsd).toBeGreaterThan(0)

    const smart = hub.find((m) => m.name === 'smart')
    expect(smart).toMatchObject({
      source: 'rosetta',
      rule: 'model:smart',
      targets: [
        { provider: 'mock-anthropic-err', model: 'an-e500', role: 'target' },
        { provider: 'mock-gemini', model: 'gm-text', role: 'fallback' },
      ],
      usage: { requests: 0 },
    })
    // The same names GET /v1/models lists, each once.
    const names = hub.map((m) => m.name)
    expect(names).not.toContain('unrouted-model')
    expect(new Set(names).size).toBe(names.length)
    // No price is null (the UI says "no price"), never a zero that looks cheap.
    expect(hub.find((m) => m.name === 'an-claude-listed')?.price).toBeNull()
  })

  it('providers.test tests the key it is given, and says which and how fast', async () => {
    const keys = (await trpc(gw.server.url, 'query', 'keys.list', { provider: 'mock-openai' }, admin)).body.result.data
    expect(keys).toHaveLength(2)
    // Failures come as a count per kind; resting models as a list (the UI sums and shows them).
    expect(typeof keys[1].failures).toBe('object')
    expect(Array.isArray(keys[1].restingModels)).toBe(true)
    const before = gw.mock.requests.length
    const r = await trpc(gw.server.url, 'mutation', 'providers.test', { id: 'mock-openai', keyId: keys[1].id }, admin)
    expect(r.body.result.data).toMatchObject({ ok: true, status: 200, keyHint: keys[1].hint, modelCount: MOCK_MODEL_LISTS.openai.length })
    expect(r.body.result.data.latencyMs).toEqual(expect.any(Number))
    expect(gw.mock.requests.length).toBe(before + 1)
    expect(gw.mock.requests.at(-1)!.headers.authorization).toBe('Bearer sk-upstream-openai-2')
    const missing = await trpc(gw.server.url, 'mutation', 'providers.test', { id: 'mock-openai', keyId: 999_999 }, admin)
    expect(missing.status).toBe(400)
  })
})
