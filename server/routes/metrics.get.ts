import { timingSafeEqual } from 'node:crypto'
import { whenReady } from '../services/app-state'

function sameToken(given: string, want: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(want)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** GET /metrics: Prometheus text exposition; NUXT_METRICS_TOKEN, when set, is required as a bearer token. */
export default defineEventHandler(async (event) => {
  const s = await whenReady()
  const want = s.settings.metricsToken
  if (want) {
    const auth = getRequestHeader(event, 'authorization') ?? ''
    const given = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() ?? ''
    if (!sameToken(given, want)) {
      setResponseStatus(event, 401)
      setResponseHeader(event, 'www-authenticate', 'Bearer realm="metrics"')
      return { error: { code: 'unauthorized', message: 'metrics token required (Authorization: Bearer <NUXT_METRICS_TOKEN>)' } }
    }
  }
  setResponseHeader(event, 'content-type', s.ops.metrics.contentType)
  setResponseHeader(event, 'cache-control', 'no-store')
  return s.ops.metrics.text()
})
