import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { ADMIN_KEY, CLIENT_KEY, mockConfigYaml, startServer, type RunningServer } from './support/server'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'
import { bearer, chat, rest, trpc } from './support/admin-api'
import { RawConnection } from './support/raw-http'

let mock: MockUpstream
let server: RunningServer
let U: string
const A = bearer(ADMIN_KEY)

beforeAll(async () => {
  mock = await startMockUpstream()
  server = await startServer({ config: mockConfigYaml(mock.url), env: { NUXT_MAX_BODY_MB: '1', NUXT_CORS_ORIGINS: 'https://app.example' } })
  U = server.url
})
afterAll(async () => {
  await server?.stop()
  await mock?.close()
})

const createKey = async (input: Record<string, unknown>) => {
  const r = await trpc(U, 'mutation', 'clientKeys.create', input, A)
  expect(r.status, r.text).toBe(200)
  return r.body.result.data as { key: string; hint: string }
}
const listed = async (name: string) => (await trpc(U, 'query', 'clientKeys.list', undefined, A)).body.result.data.find((k: any) => k.name === name)

describe('client keys', () => {
  it('are generated with the rk- prefix, shown once, listed masked with usage', async () => {
    const k = await createKey({ name: 'app', owner: 'team-a', models: ['oa-*'] })
    expect(k.key).toMatch(/^rk-[A-Za-z0-9_-]{32}$/)
    expect(k.hint).toBe(`${k.key.slice(0, 4)}…${k.key.slice(-4)}`)
    expect((await chat(U, k.key, 'oa-text')).status).toBe(200)
    const forbidden = await chat(U, k.key, 'an-text')
    expect(forbidden.status).toBe(403)
    expect(forbidden.body.error.message).toContain("may not use model 'an-text'")
    const row = await listed('app')
    expect(row).toMatchObject({ owner: 'team-a', models: ['oa-*'], source: 'db', usage: { requests: 1, tokens: 30, dayTokens: 30 } }) // the refused call never counted
    expect(JSON.stringify(row)).not.toContain(k.key)
  })

  it('stop at the requests-per-minute limit and say which limit, in the client dialect, with retry-after', async () => {
    const k = await createKey({ name: 'rpm2', rpm: 2 })
    expect((await chat(U, k.key, 'oa-text')).status).toBe(200)
    expect((await chat(U, k.key, 'an-text', '/v1/messages')).status).toBe(200)
    const upstreamCalls = mock.requests.length
    const o = await chat(U, k.key, 'oa-text')
    expect(o.status).toBe(429)
    expect(o.body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' })
    expect(o.body.error.message).toContain("API key 'rpm2' may make 2 requests per minute")
    expect(Number(o.headers.get('retry-after'))).toBeGreaterThan(0)
    const a = await chat(U, k.key, 'an-text', '/v1/messages')
    expect(a.status).toBe(429)
    expect(a.body).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } })
    expect(a.body.error.message).toContain('2 requests per minute')
    const g = await rest(U, 'POST', '/v1beta/models/gm-text:generateContent', { contents: [{ parts: [{ text: 'hi' }] }] }, { 'x-goog-api-key': k.key })
    expect(g.status).toBe(429)
    expect(g.body.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' })
    expect(mock.requests.length).toBe(upstreamCalls) // refused before going upstream
  })

  it('stop when the daily token budget is spent', async () => {
    const k = await createKey({ name: 'budget', dayTokens: 50 })
    expect((await chat(U, k.key, 'oa-text')).status).toBe(200) // 30 tokens
    expect((await chat(U, k.key, 'oa-text')).status).toBe(200) // 60: over from now on
    const r = await chat(U, k.key, 'oa-text')
    expect(r.status).toBe(429)
    expect(r.body.error.message).toMatch(/daily token budget spent: API key 'budget' may use 50 tokens per day \(UTC\); used 60/)
    // Raising the budget lets it through again at once.
    expect((await trpc(U, 'mutation', 'clientKeys.update', { name: 'budget', dayTokens: 1000 }, A)).status).toBe(200)
    expect((await chat(U, k.key, 'oa-text')).status).toBe(200)
  })

  it('can be disabled, expire, and be removed; rosetta.yaml keys are read-only', async () => {
    const k = await createKey({ name: 'tmp' })
    expect((await trpc(U, 'mutation', 'clientKeys.update', { name: 'tmp', enabled: false }, A)).status).toBe(200)
    expect((await chat(U, k.key, 'oa-text')).status).toBe(401)
    const e = await createKey({ name: 'expired', expiresAt: new Date(Date.now() - 1000).toISOString() })
    const r = await chat(U, e.key, 'oa-text')
    expect(r.status).toBe(401)
    expect(r.body.error.message).toContain('expired')
    expect((await trpc(U, 'mutation', 'clientKeys.remove', { name: 'tmp' }, A)).status).toBe(200)
    expect(await listed('tmp')).toBeUndefined()
    const file = await trpc(U, 'mutation', 'clientKeys.update', { name: 'test', rpm: 1 }, A)
    expect(file.status).toBe(403)
    expect(file.body.error.message).toContain('rosetta.yaml')
    expect((await trpc(U, 'mutation', 'clientKeys.remove', { name: 'test' }, A)).status).toBe(403)
    expect((await chat(U, CLIENT_KEY, 'oa-text')).status).toBe(200)
  })
})

describe('hardening', () => {
  it('rotation is refused with a 409 while NUXT_ADMIN_KEY is set', async () => {
    const r = await rest(U, 'POST', '/v1/admin/security/rotate-admin-key', {}, A)
    expect(r.status).toBe(409)
    expect(r.body.error.message).toContain('NUXT_ADMIN_KEY')
    expect((await rest(U, 'GET', '/v1/admin/security/key-info', undefined, A)).body).toMatchObject({ source: 'env', rotatable: false, masked: 'rsk-…ghij' })
  })

  it('bodies over NUXT_MAX_BODY_MB get a 413 on every route, in the dialect on /v1', async () => {
    const big = JSON.stringify({ model: 'oa-text', pad: 'x'.repeat(1_100_000) })
    const o = await rest(U, 'POST', '/v1/chat/completions', big, bearer(CLIENT_KEY))
    expect(o.status).toBe(413)
    expect(o.body.error.message).toContain('exceeds the limit of 1 MB')
    expect((await rest(U, 'POST', '/v1/messages', big, bearer(CLIENT_KEY))).body).toMatchObject({ type: 'error', error: { type: 'request_too_large' } })
    // The Gemini door: a 413 like the others, in Google's shape (INVALID_ARGUMENT, saying the size is the problem).
    const g = await rest(U, 'POST', '/v1beta/models/gm-text:generateContent', big, bearer(CLIENT_KEY))
    expect(g.status).toBe(413)
    expect(g.body.error).toMatchObject({ code: 413, status: 'INVALID_ARGUMENT' })
    expect(g.body.error.message).toContain('exceeds the limit of 1 MB')
    expect((await rest(U, 'POST', '/api/trpc/clientKeys.create', big, A)).status).toBe(413)
    expect((await rest(U, 'POST', '/v1/admin/security/validate-key', big, A)).status).toBe(413)
    // A chunked tRPC upload (no content-length) is counted as it arrives.
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < 12; i++) c.enqueue(new TextEncoder().encode('x'.repeat(100_000)))
        c.close()
      },
    })
    const r = await fetch(`${U}/api/trpc/clientKeys.create`, { method: 'POST', headers: A, body: chunks, duplex: 'half' } as RequestInit)
    expect(r.status).toBe(413)
    expect((await fetch(`${U}/health`)).status).toBe(200)
  })

  // A client that writes its whole body before reading (undici's fetch does) must get the 413, not a
  // reset: the server answers on the headers, then reads the rest and keeps the connection.
  it.each([
    ['a public door', '/v1/chat/completions', CLIENT_KEY],
    ['the tRPC API', '/api/trpc/clientKeys.create', ADMIN_KEY],
  ])('a declared oversized body on %s: 413 first, the rest of the body read, the connection kept', async (_, path, key) => {
    const c = await RawConnection.open(U)
    try {
      const size = 1_500_000
      expect(await c.write(`POST ${path} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${key}\r\ncontent-type: application/json\r\ncontent-length: ${size}\r\n\r\n`)).toBe(true)
      const refused = await c.response()
      expect(refused?.status).toBe(413)
      expect(refused?.headers).not.toMatch(/connection: close/i)
      // The body arrives after the answer, in pieces, as a slow client would send it.
      for (let sent = 0; sent < size; sent += 300_000) expect(await c.write(Buffer.alloc(Math.min(300_000, size - sent), 0x78))).toBe(true)
      expect(await c.write('GET /health HTTP/1.1\r\nhost: x\r\n\r\n')).toBe(true)
      expect((await c.response())?.status).toBe(200)
      expect(c.error).toBeUndefined()
    } finally {
      c.destroy()
    }
  })

  it('a refused body is read only up to a bound: past it the connection is cut and the server serves on', async () => {
    const c = await RawConnection.open(U)
    try {
      expect(await c.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${CLIENT_KEY}\r\ncontent-length: ${200 * 1048576}\r\n\r\n`)).toBe(true)
      expect((await c.response())?.status).toBe(413)
      const mb = Buffer.alloc(1048576, 0x78)
      // 64 MiB are read and dropped; the next few megabytes find the socket gone.
      for (let i = 0; i < 80 && !c.closed; i++) if (!(await c.write(mb))) break
      expect(await c.closedWithin(10_000)).toBe(true)
    } finally {
      c.destroy()
    }
    expect((await fetch(`${U}/health`)).status).toBe(200)
  })

  it('CORS: /v1 open to the configured origins (preflight and response), admin same-origin', async () => {
    const pre = await fetch(`${U}/v1/chat/completions`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(pre.headers.get('access-control-allow-headers')).toBe('authorization, content-type')
    const evil = await fetch(`${U}/v1/chat/completions`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } })
    expect(evil.headers.get('access-control-allow-origin')).toBeNull()
    const post = await rest(U, 'POST', '/v1/chat/completions', { model: 'oa-text', messages: [{ role: 'user', content: 'hi' }] }, { ...bearer(CLIENT_KEY), origin: 'https://app.example' })
    expect(post.status).toBe(200)
    expect(post.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(post.headers.get('access-control-expose-headers')).toContain('x-request-id')
    const models = await fetch(`${U}/v1/models`, { headers: { ...bearer(CLIENT_KEY), origin: 'https://app.example' } })
    expect(models.headers.get('access-control-allow-origin')).toBe('https://app.example')
    const admin = await fetch(`${U}/api/trpc/keys.list`, { headers: { ...A, origin: 'https://app.example' } })
    expect(admin.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('admin pages carry CSP, X-Frame-Options DENY, nosniff and a referrer policy', async () => {
    const r = await fetch(`${U}/admin`)
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(r.headers.get('x-frame-options')).toBe('DENY')
    expect(r.headers.get('x-content-type-options')).toBe('nosniff')
    expect(r.headers.get('referrer-policy')).toBe('no-referrer')
  })

  it('errors never carry stack traces', async () => {
    const bodies = [
      await rest(U, 'POST', '/api/trpc/clientKeys.create', '{bad json', A),
      await rest(U, 'GET', '/api/trpc/nope.nothing', undefined, A),
      await rest(U, 'POST', '/v1/admin/security/validate-key', randomBytes(64).toString('latin1'), A),
      await rest(U, 'GET', '/v1/admin/nothing-here', undefined, A),
    ]
    for (const b of bodies) {
      expect(b.status).toBeGreaterThanOrEqual(400)
      expect(b.status).toBeLessThan(500)
      expect(b.text).not.toMatch(/\bat .+:\d+:\d+|\.ts:\d+|node_modules|"stack"/)
    }
  })
})
