import type { H3Event } from 'h3'
import { logFilterSchema, type LogFilter } from '../../shared/schemas/request-log'

/**
 * The request-log filter of a REST admin route from its query string, in the snake_case names of
 * the log's columns (`client_key`, `request_id`, …). A string (the 400's message) when invalid.
 */
export function logFilterFromQuery(event: H3Event): LogFilter | string {
  const q = getQuery(event)
  const one = (v: unknown) => {
    const s = Array.isArray(v) ? (v[0] as unknown) : v
    return typeof s === 'string' && s !== '' ? s : undefined
  }
  const stream = one(q.stream)
  const keyId = one(q.key_id)
  const parsed = logFilterSchema.safeParse({
    since: one(q.since),
    from: one(q.from),
    to: one(q.to),
    model: one(q.model),
    provider: one(q.provider),
    clientKey: one(q.client_key),
    keyId: keyId === undefined ? undefined : Number(keyId),
    status: one(q.status),
    stream: stream === undefined ? undefined : stream === 'true',
    search: one(q.search),
    requestId: one(q.request_id),
    sessionId: one(q.session_id),
    instance: one(q.instance),
  })
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
  return parsed.data
}
