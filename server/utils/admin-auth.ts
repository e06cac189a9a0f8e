import type { H3Event } from 'h3'
import { appState } from '../services/app-state'
import { hashKey, sameHash } from '../services/security/hashing'

/**
 * The admin check for REST admin routes: the admin key as a Bearer token. Returns false after
 * sending a JSON 401, so a route does `if (!requireAdmin(event)) return`.
 */
export function isAdminRequest(event: H3Event): boolean {
  const auth = event.node.req.headers.authorization
  const key = auth && /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim()
  const st = appState()
  return Boolean(key && st && sameHash(hashKey(key), st.adminKey.hash))
}

export function requireAdmin(event: H3Event): boolean {
  if (isAdminRequest(event)) return true
  const res = event.node.res
  res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' })
  res.end(JSON.stringify({ error: { code: 'unauthorized', message: 'admin key required (Authorization: Bearer <admin key>)' } }))
  return false
}
