import { whenReady } from '../../../services/app-state'
import { requireRole } from '../../../utils/admin-auth'
import { adminStats } from '../../../services/log/admin-stats'
import { logFilterSchema } from '../../../../shared/schemas/request-log'

/** GET /v1/admin/stats?since=24h (admin), also from/to, model, provider, client_key, status, stream. */
export default defineEventHandler(async (event) => {
  if (!requireRole(event, 'viewer')) return
  const q = getQuery(event)
  const one = (v: unknown) => (Array.isArray(v) ? v[0] : v) as string | undefined
  const parsed = logFilterSchema.safeParse({
    since: one(q.since),
    from: one(q.from),
    to: one(q.to),
    model: one(q.model),
    provider: one(q.provider),
    clientKey: one(q.client_key),
    status: one(q.status),
    stream: one(q.stream) === undefined ? undefined : one(q.stream) === 'true',
  })
  setResponseHeader(event, 'cache-control', 'no-store')
  if (!parsed.success) {
    setResponseStatus(event, 400)
    return { error: { code: 'invalid_request', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } }
  }
  const s = await whenReady()
  return adminStats(s.requestLog.reader, parsed.data)
})
