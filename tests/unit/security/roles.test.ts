import { describe, expect, it } from 'vitest'
import type { TRPCError } from '@trpc/server'
import { appRouter } from '../../../server/trpc/routers/_app'
import { createCallerFactory, type Context } from '../../../server/trpc/init'
import { roleAllows, type Principal, type Role } from '../../../server/services/security/roles'

/** Procedures anyone may call: health, and the login/logout/me of web sessions. */
const PUBLIC = new Set(['health.get', 'auth.login', 'auth.logout', 'auth.me'])
const BELOW: Record<Role, Role | undefined> = { viewer: undefined, operator: 'viewer', admin: 'operator' }

const procedures = Object.entries((appRouter._def as any).procedures as Record<string, any>).map(([path, p]) => ({
  path,
  type: p._def.type as 'query' | 'mutation' | 'subscription',
  role: p._def.meta?.role as Role | undefined,
}))

const fakeEvent = { node: { req: { headers: {}, socket: {}, method: 'POST' }, res: { setHeader() {}, appendHeader() {} } } } as any
const ctxFor = (role?: Role, via: Principal['via'] = 'bearer'): Context => {
  const principal = role ? { kind: 'admin-token' as const, name: `t-${role}`, role, canViewBodies: false, via } : undefined
  return { event: fakeEvent, admin: role === 'admin', principal, canViewBodies: false, ip: '127.0.0.1' }
}

async function call(ctx: Context, path: string): Promise<TRPCError | undefined> {
  const caller: any = createCallerFactory(appRouter)(ctx)
  const fn = path.split('.').reduce((o, k) => o[k], caller)
  try {
    await fn(undefined)
    return undefined
  } catch (e) {
    return e as TRPCError
  }
}

describe('every tRPC procedure is guarded by a role', () => {
  it('finds the procedures (the walk itself works)', () => {
    expect(procedures.length).toBeGreaterThan(15)
    expect(procedures.map((p) => p.path)).toEqual(expect.arrayContaining(['keys.list', 'clientKeys.create', 'security.rotateAdminKey', 'audit.list']))
  })

  it('declares a role for every non-public procedure; no mutation is open to viewers', () => {
    for (const p of procedures) {
      if (PUBLIC.has(p.path)) continue
      expect(p.role, p.path).toBeDefined()
      if (p.type === 'mutation') expect(p.role, p.path).not.toBe('viewer')
    }
  })

  it('keeps security and the audit log for the admin role, configuration for operators, reads for viewers', () => {
    const role = Object.fromEntries(procedures.map((p) => [p.path, p.role]))
    for (const p of procedures) if (p.path.startsWith('security.') || p.path.startsWith('audit.')) expect(role[p.path], p.path).toBe('admin')
    expect(role['clientKeys.create']).toBe('operator')
    expect(role['clientKeys.list']).toBe('viewer')
    expect(role['keys.disable']).toBe('operator')
    expect(role['keys.list']).toBe('viewer')
  })

  for (const p of procedures.filter((x) => !PUBLIC.has(x.path))) {
    it(`${p.path} (${p.type}, ${p.role}) refuses the unauthenticated and the under-privileged caller`, async () => {
      const anon = await call(ctxFor(), p.path)
      expect(anon?.code, p.path).toBe('UNAUTHORIZED')
      const below = BELOW[p.role!]
      if (below) {
        const e = await call(ctxFor(below), p.path)
        expect(e?.code, p.path).toBe('FORBIDDEN')
        expect(e?.message).toContain(`needs the ${p.role} role`)
      }
      // The right role passes the guard (it may then fail for other reasons: no server, bad input).
      const ok = await call(ctxFor(p.role), p.path)
      expect(['UNAUTHORIZED', 'FORBIDDEN']).not.toContain(ok?.code)
    })
  }

  it('refuses a cookie-authenticated mutation from another site, allows the same one from our origin', async () => {
    const mutation = procedures.find((p) => p.path === 'keys.disable')!
    const cross = { ...ctxFor('admin', 'cookie'), event: { node: { req: { headers: { origin: 'https://evil.example', host: 'gw.local' }, socket: {} } } } as any }
    expect((await call(cross, mutation.path))?.message).toBe('cross-site request refused')
    const same = { ...ctxFor('admin', 'cookie'), event: { node: { req: { headers: { origin: 'http://gw.local', host: 'gw.local' }, socket: {} } } } as any }
    expect((await call(same, mutation.path))?.code).not.toBe('FORBIDDEN')
  })
})

describe('roles', () => {
  it('are ordered viewer < operator < admin', () => {
    expect(roleAllows('admin', 'viewer')).toBe(true)
    expect(roleAllows('operator', 'operator')).toBe(true)
    expect(roleAllows('operator', 'admin')).toBe(false)
    expect(roleAllows('viewer', 'operator')).toBe(false)
  })
})
