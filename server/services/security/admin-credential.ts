import type { IncomingMessage } from 'node:http'
import type { H3Event } from 'h3'
import { appState } from '../app-state'
import { bearerOf, clientIp, principalForKey, principalOf } from './principal'
import type { Principal } from './roles'

/** An admin secret presented with the request: `Authorization: Bearer …`, else `x-api-key`. */
export function adminSecretOf(req: IncomingMessage): { secret: string; via: 'Bearer' | 'x-api-key' } | undefined {
  const b = bearerOf(req)
  if (b) return { secret: b, via: 'Bearer' }
  const x = req.headers['x-api-key']
  return typeof x === 'string' && x.trim() ? { secret: x.trim(), via: 'x-api-key' } : undefined
}

/** Who called (undefined: nobody we know), or how long the caller's address must wait first. */
export interface AdminAuth {
  principal?: Principal
  /** Set when the address is throttled after too many wrong secrets: answer 429 with this retry-after. */
  retryAfter?: number
}

/**
 * The caller of an admin surface (REST admin routes, tRPC, /health/detailed), with guessing
 * throttled: a wrong admin key or token counts against the caller's address in the same kind of
 * guard as form logins (5 per minute), after which every secret from that address, right or wrong,
 * gets a 429 until the window frees. Each failure is audited (never the tried secret); while an
 * address is throttled its refusals are not, so a flood cannot turn into a flood of audit rows.
 * Session cookies are not secrets being guessed here (their ids are 256 random bits).
 */
export function authenticateAdmin(event: H3Event, now = Date.now()): AdminAuth {
  const req = event.node.req
  const given = adminSecretOf(req)
  if (!given) return { principal: principalOf(event, now) }
  const sec = appState()?.security
  if (!sec) return { principal: principalForKey(given.secret, 'bearer', now) }
  const ip = clientIp(req) ?? 'unknown'
  const wait = sec.adminAuthGuard.blockedFor(ip, now)
  if (wait) return { retryAfter: wait }
  const principal = principalForKey(given.secret, 'bearer', now)
  if (principal) return { principal }
  sec.adminAuthGuard.fail(ip, now)
  const throttled = sec.adminAuthGuard.blockedFor(ip, now)
  void sec.audit({
    actor: null,
    role: null,
    ip,
    action: 'auth.credential',
    target: `${req.method ?? 'GET'} ${(req.url ?? '').split('?')[0]}`,
    outcome: 'denied',
    detail: `invalid admin key or token (${given.via})` + (throttled ? `; this address is throttled for ${throttled} s` : ''),
  })
  return {}
}

/** The message of the 429 every admin surface answers a throttled address with. */
export function throttledMessage(retryAfter: number): string {
  return `too many failed admin authentications from this address: try again in ${retryAfter} s`
}
