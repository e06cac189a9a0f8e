import type { H3Event } from 'h3'
import { isSameOrigin } from '../services/security/principal'
import { authenticateAdmin, throttledMessage } from '../services/security/admin-credential'
import { roleAllows, type Principal, type Role } from '../services/security/roles'

function deny(event: H3Event, status: 401 | 403 | 429, code: string, message: string, retryAfter?: number): undefined {
  const res = event.node.res
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' }
  if (status === 401) headers['www-authenticate'] = 'Bearer'
  if (retryAfter) headers['retry-after'] = String(retryAfter)
  res.writeHead(status, headers)
  res.end(JSON.stringify({ error: { code, message } }))
  return undefined
}

/**
 * The role check for REST admin routes: an admin key or admin token as a Bearer token, or a session
 * cookie (then only same-origin for anything but GET). Returns the caller, or undefined after
 * sending a JSON 401/403 (or 429 while the caller's address is throttled for guessing), so a route
 * does `const who = requireRole(event, 'viewer'); if (!who) return`.
 */
export function requireRole(event: H3Event, role: Role): Principal | undefined {
  const auth = authenticateAdmin(event)
  if (auth.retryAfter) return deny(event, 429, 'too_many_requests', throttledMessage(auth.retryAfter), auth.retryAfter)
  const p = auth.principal
  if (!p) return deny(event, 401, 'unauthorized', 'authentication required: an admin key or admin token (Authorization: Bearer …), or a session')
  if (!roleAllows(p.role, role)) return deny(event, 403, 'forbidden', `this needs the ${role} role; '${p.name}' has the ${p.role} role`)
  if (p.via === 'cookie' && event.node.req.method !== 'GET' && event.node.req.method !== 'HEAD' && !isSameOrigin(event.node.req))
    return deny(event, 403, 'forbidden', 'cross-site request refused')
  return p
}

/** True when the caller has the admin role (no response is sent). */
export function isAdminRequest(event: H3Event): boolean {
  const p = authenticateAdmin(event).principal
  return Boolean(p && p.role === 'admin')
}

/** Kept for routes written before roles: the admin role. Returns false after sending the 401/403. */
export function requireAdmin(event: H3Event): boolean {
  return requireRole(event, 'admin') !== undefined
}
