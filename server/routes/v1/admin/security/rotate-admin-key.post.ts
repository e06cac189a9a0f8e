import { requireRole } from '../../../../utils/admin-auth'
import { sendAdminJson } from '../../../../utils/admin-json'
import { whenReady } from '../../../../services/app-state'
import { AdminKeyFromEnvError, ownAdminSession, rotateAdminKey } from '../../../../services/security/admin-key-ops'
import { clientIp } from '../../../../services/security/principal'
import { maskSecret } from '../../../../services/security/hashing'

/**
 * POST /v1/admin/security/rotate-admin-key (admin): `{"admin_key"}` once; the old key stops at once,
 * and so do its sessions, except the caller's own when it called with one.
 */
export default defineEventHandler(async (event) => {
  const who = requireRole(event, 'admin')
  if (!who) return
  const s = await whenReady()
  const audit = { actor: who.name, role: who.role, ip: clientIp(event.node.req), action: 'security.rotateAdminKey', target: 'admin key' }
  try {
    const key = await rotateAdminKey({ keepSession: ownAdminSession(event, who) })
    await s.security?.audit({ ...audit, outcome: 'ok', after: { admin_key: maskSecret(key) } })
    sendAdminJson(event, 200, { admin_key: key })
  } catch (e) {
    if (!(e instanceof AdminKeyFromEnvError)) throw e
    await s.security?.audit({ ...audit, outcome: 'error', detail: e.message })
    sendAdminJson(event, 409, { error: { code: 'conflict', message: e.message } })
  }
})
