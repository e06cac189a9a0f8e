import { readiness } from '../services/ops/readiness'

/**
 * Readiness, open and cheap: 200 only when everything a request needs is in place, else 503 with
 * what is pending (booting) or that the server is draining. Liveness is /health/live.
 */
export default defineEventHandler((event) => {
  const r = readiness()
  setResponseStatus(event, r.status === 'ok' ? 200 : 503)
  setResponseHeader(event, 'cache-control', 'no-store')
  if (r.status === 'starting') setResponseHeader(event, 'retry-after', 1)
  return r
})
