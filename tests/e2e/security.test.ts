import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { CLIENT_KEY, mockConfigYaml, ROOT, startServer, type RunningServer } from './support/server'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'
import { TEST_STORE, storeDump } from './support/test-store'
import { bearer, chat, rest, trpc, type Reply } from './support/admin-api'
import { appRouter } from '../../server/trpc/routers/_app'

const UPSTREAM_KEYS = ['sk-upstream-openai-1', 'sk-upstream-openai-2', 'sk-ant-upstream-1', 'AIza-upstream-1', 'sk-upstream-responses-1']
let mock: MockUpstream
let server: RunningServer
let U: string
let admin: string // the generated admin key (no NUXT_ADMIN_KEY here), replaced on rotation
const tokens: Record<'operator' | 'viewer' | 'admin2', string> = {} as any
const seen: string[] = [] // every admin API response body, searched for secrets at the end

beforeAll(async () => {
  mock = await startMockUpstream()
  server = await startServer({ config: mockConfigYaml(mock.url), env: { NUXT_ADMIN_KEY: '' } })
  U = server.url
  admin = /rsk-admin-[A-Za-z0-9_-]{32}/.exec(server.output())![0]
  for (const [name, role] of [['operator', 'operator'], ['viewer', 'viewer'], ['admin2', 'admin']] as const) {
    const r = await trpc(U, 'mutation', 'security.tokens.create', { name, role }, bearer(admin))
    expect(r.status).toBe(200)
    expect(r.body.result.data.token).toMatch(/^rat-/)
    tokens[name] = r.body.result.data.token
  }
})
afterAll(async () => {
  await server?.stop()
  await mock?.close()
})

const keep = (r: Reply) => (seen.push(r.text), r)
const PROCS = Object.entries((appRouter._def as any).procedures as Record<string, any>).map(([path, p]) => ({ path, type: p._def.type, role: p._def.meta?.role }))
const under = (role: string) => (role === 'admin' ? tokens.operator : role === 'operator' ? tokens.viewer : undefined)

/** Every REST admin route: each file under server/routes that checks a role must be listed here. */
const REST = [
  { method: 'GET', path: '/health/detailed', role: 'viewer', file: 'health/detailed.get.ts' },
  { method: 'GET', path: '/v1/admin/stats?since=24h', role: 'viewer', file: 'v1/admin/stats.get.ts' },
  { method: 'GET', path: '/v1/admin/logs/export?since=1h', role: 'viewer', file: 'v1/admin/logs/export.get.ts' },
  { method: 'GET', path: '/v1/admin/security/key-info', role: 'admin', file: 'v1/admin/security/key-info.get.ts' },
  { method: 'POST', path: '/v1/admin/security/validate-key', role: 'admin', file: 'v1/admin/security/validate-key.post.ts', body: { key: 'x' } },
  { method: 'POST', path: '/v1/admin/security/rotate-admin-key', role: 'admin', file: 'v1/admin/security/rotate-admin-key.post.ts', body: {} },
]

describe('every admin procedure and route rejects missing, wrong and under-privileged credentials', () => {
  it('the REST list covers every route file that checks a role', () => {
    const dir = join(ROOT, 'server/routes')
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]))
    const guarded = walk(dir).filter((f) => /require(Role|Admin)\(/.test(readFileSync(f, 'utf8'))).map((f) => relative(dir, f))
    expect(guarded.sort()).toEqual(REST.map((r) => r.file).sort())
  })

  // Wrong credentials are throttled per address (5 a minute): each probe below comes from its own.
  let probe = 0
  const nextAddress = () => `127.0.1.${++probe}`
  for (const r of REST) {
    it(`${r.method} ${r.path}`, async () => {
      expect((await rest(U, r.method, r.path, r.body)).status).toBe(401)
      expect((await rest(U, r.method, r.path, r.body, bearer('rsk-admin-wrong-0123456789abcdef'), nextAddress())).status).toBe(401)
      expect((await rest(U, r.method, r.path, r.body, bearer(CLIENT_KEY), nextAddress())).status).toBe(401)
      const low = under(r.role)
      if (low) expect((await rest(U, r.method, r.path, r.body, bearer(low))).status).toBe(403)
    })
  }

  it('every tRPC procedure over HTTP', async () => {
    let checked = 0
    for (const p of PROCS.filter((x) => x.role)) {
      expect((await trpc(U, p.type, p.path, undefined)).status, p.path).toBe(401)
      expect((await trpc(U, p.type, p.path, undefined, bearer('rat-wrong'), nextAddress())).status, p.path).toBe(401)
      const low = under(p.role)
      if (low) expect((await trpc(U, p.type, p.path, undefined, bearer(low))).status, p.path).toBe(403)
      checked++
    }
    expect(checked).toBeGreaterThan(15)
  })

  it('roles allow what they should: viewer reads, operator manages client keys, only admin touches security', async () => {
    expect(keep(await trpc(U, 'query', 'clientKeys.list', undefined, bearer(tokens.viewer))).status).toBe(200)
    expect((await trpc(U, 'mutation', 'clientKeys.create', { name: 'v' }, bearer(tokens.viewer))).status).toBe(403)
    const op = keep(await trpc(U, 'mutation', 'clientKeys.create', { name: 'by-operator' }, bearer(tokens.operator)))
    expect(op.status).toBe(200)
    expect((await trpc(U, 'query', 'security.tokens.list', undefined, bearer(tokens.operator))).status).toBe(403)
    expect(keep(await trpc(U, 'query', 'security.tokens.list', undefined, bearer(tokens.admin2))).status).toBe(200)
    const me = await trpc(U, 'query', 'auth.me', undefined, bearer(tokens.viewer))
    expect(me.body.result.data).toMatchObject({ authenticated: true, name: 'viewer', role: 'viewer', canViewBodies: false })
  })
})

describe('admin key lifecycle', () => {
  it('validate-key tells admin key, admin token, client key and unknown apart', async () => {
    const v = async (key: string) => (await rest(U, 'POST', '/v1/admin/security/validate-key', { key }, bearer(admin))).body
    expect(await v(admin)).toEqual({ valid: true, kind: 'admin', name: 'admin' })
    expect(await v(tokens.viewer)).toEqual({ valid: true, kind: 'admin-token', name: 'viewer' })
    expect(await v(CLIENT_KEY)).toEqual({ valid: true, kind: 'client', name: 'test' })
    expect(await v('rk-nope-0123456789')).toEqual({ valid: false, kind: null, name: null })
  })

  it('rotation returns the new key once; the old key stops at once everywhere', async () => {
    const old = admin
    expect((await chat(U, old, 'oa-text')).status).toBe(200) // the admin key also works on /v1
    const r = keep(await rest(U, 'POST', '/v1/admin/security/rotate-admin-key', {}, bearer(old)))
    expect(r.status).toBe(200)
    admin = r.body.admin_key
    expect(admin).toMatch(/^rsk-admin-/)
    expect(admin).not.toBe(old)
    expect((await rest(U, 'GET', '/v1/admin/security/key-info', undefined, bearer(old))).status).toBe(401)
    expect((await trpc(U, 'query', 'keys.list', undefined, bearer(old))).status).toBe(401)
    expect((await chat(U, old, 'oa-text')).status).toBe(401)
    expect((await chat(U, admin, 'oa-text')).status).toBe(200)
    const info = keep(await rest(U, 'GET', '/v1/admin/security/key-info', undefined, bearer(admin)))
    expect(info.body).toMatchObject({ source: 'stored', masked: `rsk-…${admin.slice(-4)}`, rotatable: true })
    expect(Date.parse(info.body.rotated_at)).toBeGreaterThan(Date.now() - 60_000)
    expect(server.output()).not.toContain(admin) // the new key is never printed
  })
})

describe('web sessions', () => {
  const login = (key: string, headers: Record<string, string> = {}) => trpc(U, 'mutation', 'auth.login', { key }, headers)
  const cookieOf = (r: Reply) => r.headers.get('set-cookie')!.split(';')[0]!

  it('login sets an httpOnly SameSite=Strict cookie with an expiry (Secure behind https); me and logout work', async () => {
    const r = await login(tokens.operator)
    expect(r.status).toBe(200)
    const sc = r.headers.get('set-cookie')!
    expect(sc).toMatch(/^rosetta_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200; Expires=/)
    expect(sc).not.toContain('Secure')
    expect((await login(tokens.operator, { 'x-forwarded-proto': 'https' })).headers.get('set-cookie')).toContain('Secure')
    const cookie = { cookie: cookieOf(r) }
    expect((await trpc(U, 'query', 'auth.me', undefined, cookie)).body.result.data).toMatchObject({ name: 'operator', role: 'operator', via: 'cookie' })
    expect((await trpc(U, 'query', 'clientKeys.list', undefined, cookie)).status).toBe(200)
    // Same-origin mutation passes, a cross-site one is refused.
    const same = { ...cookie, origin: U, host: new URL(U).host }
    expect((await trpc(U, 'mutation', 'clientKeys.create', { name: 'by-cookie' }, same)).status).toBe(200)
    const cross = await trpc(U, 'mutation', 'clientKeys.create', { name: 'csrf' }, { ...cookie, origin: 'https://evil.example' })
    expect(cross.status).toBe(403)
    expect(cross.body.error.message).toBe('cross-site request refused')
    expect((await trpc(U, 'mutation', 'clientKeys.create', { name: 'csrf2' }, { ...cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    const out = await trpc(U, 'mutation', 'auth.logout', undefined, cookie)
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0')
    // The browser drops the cookie; one sent anyway names a session that is over.
    expect((await trpc(U, 'query', 'auth.me', undefined, cookie)).body.result.data).toEqual({ authenticated: false, sessionEnded: true })
    expect((await trpc(U, 'query', 'auth.me')).body.result.data).toEqual({ authenticated: false })
    expect((await trpc(U, 'query', 'clientKeys.list', undefined, cookie)).status).toBe(401)
  })

  it('a client key cannot log in; a disabled token loses its session at once', async () => {
    expect((await login(CLIENT_KEY)).status).toBe(401)
    const r = await login(tokens.admin2)
    const cookie = { cookie: cookieOf(r) }
    expect((await trpc(U, 'query', 'audit.list', undefined, cookie)).status).toBe(200)
    expect((await trpc(U, 'mutation', 'security.tokens.update', { name: 'admin2', enabled: false }, bearer(admin))).status).toBe(200)
    expect((await trpc(U, 'query', 'audit.list', undefined, cookie)).status).toBe(401)
    expect((await trpc(U, 'query', 'audit.list', undefined, bearer(tokens.admin2))).status).toBe(401)
  })

  it('rotating the admin key from a session keeps that session and ends the other sessions of the old key', async () => {
    const mine = { cookie: cookieOf(await login(admin)) }
    const other = { cookie: cookieOf(await login(admin)) }
    const viaToken = { cookie: cookieOf(await login(tokens.operator)) }
    const r = keep(await trpc(U, 'mutation', 'security.rotateAdminKey', undefined, { ...mine, origin: U, host: new URL(U).host }))
    expect(r.status).toBe(200)
    const old = admin
    admin = r.body.result.data.admin_key
    expect(admin).toMatch(/^rsk-admin-/)
    expect((await trpc(U, 'query', 'keys.list', undefined, mine)).status).toBe(200)
    expect((await trpc(U, 'query', 'auth.me', undefined, mine)).body.result.data).toMatchObject({ authenticated: true, name: 'admin', via: 'cookie' })
    expect((await trpc(U, 'query', 'keys.list', undefined, other)).status).toBe(401)
    expect((await trpc(U, 'query', 'auth.me', undefined, other)).body.result.data).toEqual({ authenticated: false, sessionEnded: true })
    expect((await trpc(U, 'query', 'clientKeys.list', undefined, viaToken)).status).toBe(200) // token sessions are not the admin key's
    expect((await trpc(U, 'query', 'keys.list', undefined, bearer(old))).status).toBe(401)
    // The REST route keeps the caller's session the same way; a Bearer caller has none to keep.
    const r2 = await rest(U, 'POST', '/v1/admin/security/rotate-admin-key', {}, { ...mine, origin: U, host: new URL(U).host })
    expect(r2.status).toBe(200)
    admin = r2.body.admin_key
    expect((await rest(U, 'GET', '/v1/admin/security/key-info', undefined, mine)).status).toBe(200)
  })

  it('failed logins are rate limited per address: 5 per minute, then 429 even for a good key', async () => {
    // (the successful login above cleared this address's earlier failure)
    for (let i = 0; i < 5; i++) expect((await login('wrong-key-' + i)).status).toBe(401)
    const r = await login(tokens.operator)
    expect(r.status).toBe(429)
    expect(r.body.error.message).toMatch(/too many failed logins/)
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})

describe('audit log', () => {
  it('records mutations, logins and refusals with who, role, where; secrets masked; viewers cannot read it', async () => {
    expect((await trpc(U, 'query', 'audit.list', undefined, bearer(tokens.viewer))).status).toBe(403)
    const r = keep(await trpc(U, 'query', 'audit.list', { limit: 1000 }, bearer(admin)))
    const rows: any[] = r.body.result.data
    const find = (action: string, outcome: string) => rows.find((x) => x.action === action && x.outcome === outcome)
    expect(rows.find((x) => x.action === 'security.tokens.create' && x.target === 'admin token operator')).toMatchObject({ actor: 'admin', role: 'admin', ip: '127.0.0.1', outcome: 'ok', after: { role: 'operator' } })
    expect(rows.find((x) => x.action === 'clientKeys.create' && x.target === 'client key by-operator')).toMatchObject({ actor: 'operator', role: 'operator', outcome: 'ok', after: { name: 'by-operator', source: 'db' } })
    const denied = rows.filter((x) => x.action === 'clientKeys.create' && x.outcome === 'denied')
    expect(denied).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'viewer', detail: 'needs role operator' }), expect.objectContaining({ actor: 'operator', detail: 'cross-site request' })]))
    expect(find('security.rotateAdminKey', 'ok').after.admin_key).toMatch(/^rsk-…/)
    expect(find('security.tokens.update', 'ok')).toMatchObject({ before: { enabled: true }, after: { enabled: false } })
    expect(rows.filter((x) => x.action === 'auth.login' && x.outcome === 'ok').map((x) => `${x.actor}/${x.role}`)).toEqual(expect.arrayContaining(['operator/operator', 'admin2/admin']))
    expect(find('auth.login', 'error').after.key).toMatch(/…/)
    expect(find('auth.logout', 'ok')).toMatchObject({ actor: 'operator' })
    const filtered = (await trpc(U, 'query', 'audit.list', { action: 'auth.', limit: 1000 }, bearer(admin))).body.result.data
    expect(filtered.length).toBeGreaterThan(3)
    expect(filtered.every((x: any) => x.action.startsWith('auth.'))).toBe(true)
    expect(PROCS.filter((p) => p.path.startsWith('audit.')).map((p) => p.path)).toEqual(['audit.list'])
  })
})

describe('secrets at rest and in transit', () => {
  it('no upstream key, client key, admin token or admin key in plain text in any API response, the output, or the DuckDB file', async () => {
    keep(await trpc(U, 'query', 'keys.list', undefined, bearer(admin)))
    keep(await rest(U, 'GET', '/health/detailed', undefined, bearer(admin)))
    keep(await trpc(U, 'query', 'clientKeys.list', undefined, bearer(admin)))
    const listed = JSON.parse(seen.at(-3)!).result.data
    expect(listed.map((k: any) => k.hint)).toContain('sk-u…ai-1')
    for (const k of UPSTREAM_KEYS) for (const text of seen) expect(text).not.toContain(k)
    await server.stop('SIGTERM', { keepDir: true })
    const out = server.output()
    // DuckDB: the file and its WAL as bytes; PostgreSQL (ROSETTA_TEST_STORE): every row of every table.
    const files = readdirSync(server.dir).filter((f) => f.includes('duckdb'))
    const bytes = TEST_STORE === 'duckdb' ? Buffer.concat(files.map((f) => readFileSync(join(server.dir, f)))) : Buffer.from(await storeDump(server.dir))
    server.cleanup()
    expect(bytes.length).toBeGreaterThan(10_000)
    for (const k of [...UPSTREAM_KEYS, CLIENT_KEY, admin, ...Object.values(tokens)]) {
      expect(bytes.includes(Buffer.from(k)), k).toBe(false)
      if (UPSTREAM_KEYS.includes(k)) expect(out).not.toContain(k)
    }
  })
})
