import { requireRole } from '../../../../utils/admin-auth'
import { sendAdminJson } from '../../../../utils/admin-json'
import { adminKeyInfo } from '../../../../services/security/admin-key-ops'

/** GET /v1/admin/security/key-info (admin): the admin key masked, where it comes from, created/rotated times. */
export default defineEventHandler(async (event) => {
  if (!requireRole(event, 'admin')) return
  sendAdminJson(event, 200, await adminKeyInfo())
})
