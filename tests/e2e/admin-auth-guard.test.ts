import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_KEY, CLIENT_KEY, mockConfigYaml, startServer, type RunningServer } from './support/server'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'
import { bearer, fetchFrom, rest, trpc } from './support/admin-api'

describe('a weak NUXT_ADMIN_KEY', () => {
  const WEAK: [string, string][] = [
    ['admin', 'it is a well-known password'],
    ['aaaaaaaaaaaaaaaaaaaaaaaa', 'it is one character repeated'],
    ['abcdefghijklmnopqrstuvwxyz', 'it is a simple sequence of characters'],
    ['S3cr!t-k3y', 'it is shorter than 16 characters'],
  ]
  for (const [key, reason] of WEAK) {
    it(`'${key}' stops the boot with exit code 1 and the reason (${reason})`, async () => {
      const s = await startServer({ env: { NUXT_ADMIN_KEY: key }, expectFailure: true })
      expect((s as any).exitCode).toBe(1)
      expect(s.output()).toContain(`NUXT_ADMIN_KEY: too weak: ${reason}`)
      expect(s.output()).toContain('NUXT_ALLOW_WEAK_ADMIN_KEY=true')
      s.cleanup()
    })
  }

  it('boots with NUXT_ALLOW_WEAK_ADMIN_KEY=true, with a warning, and the key works', async () => {
    const s = await startServer({ env: { NUXT_ADMIN_KEY: 'admin', NUXT_ALLOW_WEAK_ADMIN_KEY: 'true' } })
    try {
      expect(s.output()).toMatch(/NUXT_ADMIN_KEY is weak \(it is a well-known password\); booting only because NUXT_ALLOW_WEAK_ADMIN_KEY=true/)
      expect((await rest(s.url, 'GET', '/v1/admin/security/key-info', undefined, bearer('admin'))).status).toBe(200)
    } finally {
      await s.stop()
    }
  })
})

describe('guessing admin credentials', () => {
  let mock: MockUpstream
  let server: RunningServer
  let U: string
  beforeAll(async () => {
    mock = await startMockUpstream()
    server = await startServer({ config: mockConfigYaml(mock.url), env: { NUXT_METRICS_TOKEN: 'metrics-token-0123456789abcdef' } })
    U = server.url
  })
  afterAll(async () => {
    await server?.stop()
    await mock?.close()
  })

  it('300 wrong Bearer keys from one address: 401 for the first 5, then 429 with retry-after; other addresses unaffected; audited without the secret', async () => {
    const from = '127.0.0.2'
    const statuses: number[] = []
    let last: Awaited<ReturnType<typeof rest>> | undefined
    for (let i = 0; i < 300; i++) {
      const paths = ['/v1/admin/stats?since=1h', '/health/detailed', '/v1/admin/security/key-info']
      last = await rest(U, 'GET', paths[i % 3]!, undefined, bearer(`rsk-admin-guess-${String(i).padStart(8, '0')}-x`), from)
      statuses.push(last.status)
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true)
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(Number(last!.headers.get('retry-after'))).toBeLessThanOrEqual(60)
    expect(last!.body.error.message).toMatch(/too many failed admin authentications from this address: try again in \d+ s/)
    // The right key from the throttled address is refused too (a 429 must not tell right from wrong) …
    expect((await rest(U, 'GET', '/v1/admin/security/key-info', undefined, bearer(ADMIN_KEY), from)).status).toBe(429)
    // … over tRPC and x-api-key as well …
    const t = await trpc(U, 'query', 'keys.list', undefined, { 'x-api-key': ADMIN_KEY }, from)
    expect(t.status).toBe(429)
    expect(t.headers.get('retry-after')).toBeTruthy()
    // … while another address with the right key works.
    expect((await rest(U, 'GET', '/v1/admin/security/key-info', undefined, bearer(ADMIN_KEY), '127.0.0.3')).status).toBe(200)
    expect((await trpc(U, 'query', 'keys.list', undefined, bearer(ADMIN_KEY))).status).toBe(200)

    const audit = await trpc(U, 'query', 'audit.list', { action: 'auth.credential', limit: 1000 }, bearer(ADMIN_KEY))
    const rows: any[] = audit.body.result.data.filter((r: any) => r.ip === from)
    // Each failure is a row (5), the one that tripped the limit says so; refusals while throttled add none.
    expect(rows).toHaveLength(5)
    expect(rows.every((r) => r.outcome === 'denied' && /invalid admin key or token \(Bearer\)/.test(r.detail))).toBe(true)
    expect(rows.some((r) => /this address is throttled for \d+ s/.test(r.detail))).toBe(true)
    expect(rows.map((r) => r.target)).toContain('GET /v1/admin/stats')
    expect(JSON.stringify(audit.body)).not.toContain('rsk-admin-guess-')
  })

  it('x-api-key admin secrets and tRPC count too', async () => {
    const from = '127.0.0.4'
    for (let i = 0; i < 3; i++) expect((await trpc(U, 'query', 'keys.list', undefined, { 'x-api-key': `wrong-${i}` }, from)).status).toBe(401)
    for (let i = 0; i < 2; i++) expect((await trpc(U, 'mutation', 'ops.mode.set', { mode: 'normal' }, bearer(`wrong-b-${i}`), from)).status).toBe(401)
    const r = await trpc(U, 'query', 'keys.list', undefined, bearer(ADMIN_KEY), from)
    expect(r.status).toBe(429)
    expect(r.body.error.message).toMatch(/too many failed admin authentications/)
    // A working x-api-key admin credential from elsewhere.
    expect((await trpc(U, 'query', 'keys.list', undefined, { 'x-api-key': ADMIN_KEY }, '127.0.0.5')).status).toBe(200)
  })

  it('wrong /metrics tokens are throttled the same way', async () => {
    const from = '127.0.0.6'
    const get = (token: string) => fetchFrom(from, `${U}/metrics`, { headers: bearer(token) })
    for (let i = 0; i < 5; i++) expect((await get(`nope-${i}`)).status).toBe(401)
    const r = await get('metrics-token-0123456789abcdef')
    expect(r.status).toBe(429)
    expect(r.headers.get('retry-after')).toBeTruthy()
    expect((await fetchFrom('127.0.0.7', `${U}/metrics`, { headers: bearer('metrics-token-0123456789abcdef') })).status).toBe(200)
  })

  it('wrong keys on the public doors: 30 a minute per address, then a 429 in the client dialect for every key from it', async () => {
    const from = '127.0.0.8'
    const chatFrom = (key: string, path = '/v1/chat/completions') =>
      rest(U, 'POST', path, { model: path === '/v1/messages' ? 'an-text' : 'oa-text', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, bearer(key), from)
    for (let i = 0; i < 30; i++) expect((await chatFrom(`rk-guess-${i}`)).status).toBe(401)
    const o = await chatFrom(CLIENT_KEY)
    expect(o.status).toBe(429)
    expect(o.body.error.message).toMatch(/too many invalid API keys from this address: try again in \d+ s/)
    expect(Number(o.headers.get('retry-after'))).toBeGreaterThan(0)
    const a = await chatFrom(CLIENT_KEY, '/v1/messages')
    expect(a.status).toBe(429)
    expect(a.body).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } })
    // Other addresses are served; a request without any key is a 401 and not a guess.
    expect((await rest(U, 'POST', '/v1/chat/completions', { model: 'oa-text', messages: [{ role: 'user', content: 'hi' }] }, bearer(CLIENT_KEY), '127.0.0.9')).status).toBe(200)
  })
})
