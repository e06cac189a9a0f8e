import { whenReady } from '../../../services/app-state'
import { requireRole } from '../../../utils/admin-auth'
import { adminStats } from '../../../services/log/admin-stats'
import { logFilterFromQuery } from '../../../utils/log-filter-query'

/** GET /v1/admin/stats?since=24h (admin), also from/to, model, provider, client_key, key_id, status, stream, search,
 * request_id, session_id (utils/log-filter-query.ts). */
export default defineEventHandler(async (event) => {
  if (!requireRole(event, 'viewer')) return
  const filter = logFilterFromQuery(event)
  setResponseHeader(event, 'cache-control', 'no-store')
  if (typeof filter === 'string') {
    setResponseStatus(event, 400)
    return { error: { code: 'invalid_request', message: filter } }
  }
  const s = await whenReady()
  return adminStats(s.requestLog.reader, filter)
})
