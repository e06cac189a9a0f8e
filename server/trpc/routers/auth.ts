import { z } from 'zod'
import { TRPCError } from '@trpc/server'
import { publicProcedure, router } from '../init'
import { appState } from '../../services/app-state'
import { clientIp, isHttps, isSameOrigin, principalForKey, sessionIdOf } from '../../services/security/principal'
import { SESSION_COOKIE, SESSION_TTL_MS } from '../../services/security/security-state'
import { hashKey } from '../../services/security/hashing'
import type { IncomingMessage, ServerResponse } from 'node:http'

function security() {
  const s = appState()?.security
  if (!s) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the server is starting' })
  return s
}

/** httpOnly, SameSite=Strict, Secure over https, scoped to the whole site, with an expiry. */
function setSessionCookie(req: IncomingMessage, res: ServerResponse, value: string, maxAgeS: number): void {
  const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeS}`]
  if (maxAgeS > 0) parts.push(`Expires=${new Date(Date.now() + maxAgeS * 1000).toUTCString()}`)
  if (isHttps(req)) parts.push('Secure')
  res.appendHeader('set-cookie', parts.join('; '))
}

/** Web sessions for the admin UI: log in with a key, get a cookie; logout; who am I. */
export const authRouter = router({
  login: publicProcedure.input(z.strictObject({ key: z.string().min(1).max(1000) })).mutation(async ({ ctx, input }) => {
    const sec = security()
    const req = ctx.event.node.req
    const ip = clientIp(req) ?? 'unknown'
    const audit = (outcome: 'ok' | 'error' | 'denied', detail: string | null, actor: string | null = null, role: string | null = null) =>
      sec.audit({ actor, role, ip, action: 'auth.login', outcome, detail, after: { key: input.key } })
    if (!isSameOrigin(req)) {
      await audit('denied', 'cross-site request')
      throw new TRPCError({ code: 'FORBIDDEN', message: 'cross-site request refused' })
    }
    const wait = sec.loginGuard.blockedFor(ip)
    if (wait) {
      await audit('denied', 'too many failed logins')
      ctx.event.node.res.setHeader('retry-after', String(wait))
      throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `too many failed logins from this address: try again in ${wait} s` })
    }
    const p = principalForKey(input.key, 'cookie')
    if (!p) {
      sec.loginGuard.fail(ip)
      await audit('error', 'invalid key')
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'invalid key: log in with the admin key or an admin token' })
    }
    sec.loginGuard.succeed(ip)
    const s = await sec.createSession(p, ip, (req.headers['user-agent'] as string | undefined) ?? null)
    setSessionCookie(req, ctx.event.node.res, s.id, Math.floor(SESSION_TTL_MS / 1000))
    await audit('ok', null, p.name, p.role)
    return { name: p.name, kind: p.kind, role: p.role, canViewBodies: p.canViewBodies, expiresAt: s.expiresAt.toISOString() }
  }),

  logout: publicProcedure.mutation(async ({ ctx }) => {
    const sec = security()
    const req = ctx.event.node.req
    if (!isSameOrigin(req)) throw new TRPCError({ code: 'FORBIDDEN', message: 'cross-site request refused' })
    const sid = sessionIdOf(ctx.event)
    if (sid) {
      const who = sec.sessions.get(hashKey(sid))
      await sec.endSession(hashKey(sid))
      if (who) await sec.audit({ actor: who.subjectName, role: who.role, ip: clientIp(req), action: 'auth.logout', outcome: 'ok' })
    }
    setSessionCookie(req, ctx.event.node.res, '', 0)
    return { ok: true }
  }),

  /**
   * Who is calling. `sessionEnded` says a session cookie came with the call but names no live session
   * (expired, logged out elsewhere, revoked, or ended by an admin key rotation): the UI says
   * "session expired" rather than showing a bare login page. The httpOnly cookie is invisible to it.
   */
  me: publicProcedure.query(({ ctx }) => {
    const p = ctx.principal
    if (!p) return sessionIdOf(ctx.event) ? { authenticated: false as const, sessionEnded: true } : { authenticated: false as const }
    return { authenticated: true as const, name: p.name, kind: p.kind, role: p.role, canViewBodies: p.canViewBodies, via: p.via }
  }),
})
