import type { IncomingMessage } from 'node:http'
import { getCookie, type H3Event } from 'h3'
import { appState } from '../app-state'
import { hashKey, sameHash } from './hashing'
import { SESSION_COOKIE } from './security-state'
import type { Principal } from './roles'

/** The bearer token of a request (`Authorization: Bearer …`), trimmed. */
export function bearerOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization
  return (auth && /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim()) || undefined
}

/**
 * The session id from the cookie header, if any. h3's parser (cookie-es) leaves a value it cannot
 * percent-decode as it is, so a malformed cookie is simply a session we do not know (401), never a throw.
 */
export function sessionIdOf(event: H3Event): string | undefined {
  return getCookie(event, SESSION_COOKIE) || undefined
}

/** Who a presented admin secret belongs to: the root admin key or an enabled, unexpired admin token. */
export function principalForKey(key: string, via: Principal['via'] = 'bearer', now = Date.now()): Principal | undefined {
  const st = appState()
  if (!st) return undefined
  const h = hashKey(key)
  // Constant-time for the root key; tokens are found by their sha256 (a lookup leaks nothing of the key).
  if (sameHash(h, st.adminKey.hash)) return { kind: 'admin', name: 'admin', role: 'admin', canViewBodies: true, via }
  const t = st.security?.tokens.get(h)
  if (t && t.enabled && (!t.expiresAt || Date.parse(t.expiresAt) > now))
    return { kind: 'admin-token', name: t.name, role: t.role, canViewBodies: t.role === 'admin' || t.canViewBodies, via }
  return undefined
}

/**
 * The caller of an admin request: a bearer admin key/token, else a live session cookie. A session
 * follows its token: a token disabled, expired or removed ends its sessions' rights at once, and its
 * current role applies.
 */
export function principalOf(event: H3Event, now = Date.now()): Principal | undefined {
  const key = bearerOf(event.node.req)
  if (key) return principalForKey(key, 'bearer', now)
  const sid = sessionIdOf(event)
  const sec = appState()?.security
  if (!sid || !sec) return undefined
  const s = sec.sessions.get(hashKey(sid))
  if (!s || Date.parse(s.expiresAt) <= now) return undefined
  if (s.subjectKind === 'admin') return { kind: 'admin', name: 'admin', role: 'admin', canViewBodies: true, via: 'cookie' }
  for (const t of sec.tokens.values()) {
    if (t.name !== s.subjectName) continue
    if (!t.enabled || (t.expiresAt && Date.parse(t.expiresAt) <= now)) return undefined
    return { kind: 'admin-token', name: t.name, role: t.role, canViewBodies: t.role === 'admin' || t.canViewBodies, via: 'cookie' }
  }
  return undefined
}

/**
 * False for a request a browser made from another site: Sec-Fetch-Site when the browser sends it,
 * else Origin against Host. Requests without either (curl, the CLI) are not cross-site.
 */
export function isSameOrigin(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site']
  if (typeof site === 'string' && site) return site === 'same-origin' || site === 'none'
  const origin = req.headers.origin
  if (!origin) return true
  if (origin === 'null') return false
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}

export function clientIp(req: IncomingMessage): string | null {
  return req.socket?.remoteAddress ?? null
}

/** Secure cookies when the request came over TLS (directly or via a proxy saying so). */
export function isHttps(req: IncomingMessage): boolean {
  return Boolean((req.socket as { encrypted?: boolean } | undefined)?.encrypted) || req.headers['x-forwarded-proto'] === 'https'
}
