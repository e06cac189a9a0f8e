import { requireRole } from '../../../../utils/admin-auth'
import { readAdminJson, sendAdminJson } from '../../../../utils/admin-json'
import { validateKey } from '../../../../services/security/admin-key-ops'

/** POST /v1/admin/security/validate-key (admin): `{"key"}` → `{"valid","kind","name"}`. */
export default defineEventHandler(async (event) => {
  if (!requireRole(event, 'admin')) return
  const body = await readAdminJson(event)
  if (!body) return
  if (typeof body.key !== 'string' || !body.key) return sendAdminJson(event, 400, { error: { code: 'invalid_request', message: 'key: a string is required' } })
  const { valid, kind, name } = validateKey(body.key)
  sendAdminJson(event, 200, { valid, kind, name })
})
