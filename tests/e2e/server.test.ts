import { describe, expect, it } from 'vitest'
import { ADMIN_KEY, CLIENT_KEY, startServer } from './support/server'
import { useGateway } from './support/setup'
import { storeRows } from './support/test-store'

const gw = useGateway()
const post = (path: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
  fetch(`${gw.server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json', ...headers }, body: body as BodyInit })

describe('the public door', () => {
  it('invalid JSON is a 400 in each dialect, with a request id', async () => {
    const oa = await post('/v1/chat/completions', '{"model":')
    expect(oa.status).toBe(400)
    expect(oa.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/)
    expect(oa.headers.get('request-id')).toBe(oa.headers.get('x-request-id'))
    expect(((await oa.json()) as any).error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('not valid JSON') })
    const an = await post('/v1/messages', 'nope')
    expect(((await an.json()) as any)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } })
    const gm = await post('/v1beta/models/gm-text:generateContent', '[1,2]')
    expect(gm.status).toBe(400)
    expect(((await gm.json()) as any).error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' })
  })

  it('invalid UTF-8 is a 400', async () => {
    const r = await post('/v1/chat/completions', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]))
    expect(r.status).toBe(400)
    expect(((await r.json()) as any).error.message).toContain('UTF-8')
  })

  it('a body over the limit is a 413 in the dialect', async () => {
    const big = Buffer.alloc(33 * 1024 * 1024, 0x20)
    const r = await post('/v1/messages', big).catch((e) => e)
    // The server may answer before reading everything; either way the client sees a 413.
    if (r instanceof Error) throw r
    expect(r.status).toBe(413)
    expect(((await r.json()) as any)).toMatchObject({ type: 'error', error: { type: 'request_too_large' } })
  })

  it('a missing model is a 400 naming the field', async () => {
    const r = await post('/v1/chat/completions', JSON.stringify({ messages: [] }))
    expect(r.status).toBe(400)
    expect(((await r.json()) as any).error.message).toContain('model')
  })

  it('no key at all is a 401', async () => {
    const r = await fetch(`${gw.server.url}/v1/chat/completions`, { method: 'POST', body: '{}' })
    expect(r.status).toBe(401)
  })

  it('the admin key is accepted as a client key', async () => {
    const r = await post('/v1/chat/completions', JSON.stringify({ model: 'oa-text', messages: [{ role: 'user', content: 'x' }] }), {
      authorization: `Bearer ${ADMIN_KEY}`,
    })
    expect(r.status).toBe(200)
  })

  it("the upstream's own 404 passes through to a same-dialect client", async () => {
    const r = await post('/v1/chat/completions', JSON.stringify({ model: 'oa-nosuchscenario', messages: [{ role: 'user', content: 'x' }] }))
    expect(r.status).toBe(404)
    expect(((await r.json()) as any).error.message).toContain("no scenario 'nosuchscenario'")
  })
})

describe('a client that goes away', () => {
  const waitFor = async (cond: () => boolean) => {
    for (let i = 0; i < 50 && !cond(); i++) await new Promise((r) => setTimeout(r, 20))
    return cond()
  }

  it('aborts the upstream stream', async () => {
    const before = gw.mock.closedEarly()
    const r = await post('/v1/messages', JSON.stringify({ model: 'oa-slow', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'x' }] }))
    const reader = r.body!.getReader()
    await reader.read()
    await reader.cancel()
    expect(await waitFor(() => gw.mock.closedEarly() > before)).toBe(true)
  })

  it('aborts the upstream call while it is still waiting for headers', async () => {
    const before = gw.mock.closedEarly()
    const ac = new AbortController()
    const pending = fetch(`${gw.server.url}/v1/chat/completions`, {
      method: 'POST',
      signal: ac.signal,
      headers: { authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({ model: 'oa-slowheaders', messages: [{ role: 'user', content: 'x' }] }),
    }).catch((e) => e)
    await new Promise((r) => setTimeout(r, 200))
    ac.abort()
    await pending
    expect(await waitFor(() => gw.mock.closedEarly() > before)).toBe(true)
  })
})

describe('operations', () => {
  it('/health is open and cheap', async () => {
    const r = await fetch(`${gw.server.url}/health`)
    expect(((await r.json()) as any).status).toBe('ok')
  })

  it('tRPC health answers', async () => {
    const r = await fetch(`${gw.server.url}/api/trpc/health.get`)
    const body = (await r.json()) as any
    expect(body.result.data).toMatchObject({ status: 'ok', providers: 12, models: 1, routes: 12 })
  })

  it('/ redirects to the admin UI, which is served', async () => {
    const r = await fetch(`${gw.server.url}/`, { redirect: 'manual' })
    expect([301, 302, 307, 308]).toContain(r.status)
    expect(r.headers.get('location')).toBe('/admin')
    const admin = await fetch(`${gw.server.url}/admin`)
    expect(admin.status).toBe(200)
    expect(await admin.text()).toContain('<div id="__nuxt"')
  })
})

describe('lifecycle', () => {
  it('a bad rosetta.yaml fails boot with the field path and the reason', async () => {
    const s = await startServer({ config: 'providers:\n  - id: x\n    type: openia\n', expectFailure: true })
    expect((s as any).exitCode).not.toBe(0)
    expect(s.output()).toContain('providers[0].type')
    await s.stop()
  })

  it('a dead upstream gives 502, and every request lands in the log after SIGTERM', async () => {
    const s = await startServer({
      config: `providers:\n  - { id: dead, type: openai, base_url: "http://127.0.0.1:9/v1", keys: [sk-secret-upstream-x] }\ndefault_provider: dead\nclient_keys:\n  - { name: t, key: ${CLIENT_KEY} }\n`,
    })
    const r = await fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({ model: 'gpt-x', messages: [{ role: 'user', content: 'x' }] }),
    })
    expect(r.status).toBe(502)
    const requestId = r.headers.get('x-request-id')
    expect(((await r.json()) as any).error.message).toContain('unreachable')
    expect(await s.stop('SIGTERM', { keepDir: true })).toBe(0)
    const rows = await storeRows(s.dir, 'SELECT request_id, status, error_kind, provider_id, client_key FROM request_log')
    expect(rows).toContainEqual({ request_id: requestId, status: 502, error_kind: 'connection', provider_id: 'dead', client_key: 't' })
    // Upstream keys are encrypted at rest: the plain key is nowhere in the table.
    const keys = await storeRows(s.dir, 'SELECT key_cipher, key_hint FROM provider_keys')
    expect(JSON.stringify(keys)).not.toContain('sk-secret-upstream-x')
    expect(keys[0]!.key_hint).toBe('sk-s…am-x')
    s.cleanup()
  })
})
