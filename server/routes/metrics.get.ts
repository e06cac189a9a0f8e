import { timingSafeEqual } from 'node:crypto'
import { whenReady } from '../services/app-state'
import { clientIp } from '../services/security/principal'

function sameToken(given: string, want: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(want)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * GET /metrics: Prometheus text exposition; NUXT_METRICS_TOKEN, when set, is required as a bearer
 * token. Wrong tokens are throttled per address and audited like wrong admin keys.
 */
export default defineEventHandler(async (event) => {
  const s = await whenReady()
  const want = s.settings.metricsToken
  if (want) {
    const auth = getRequestHeader(event, 'authorization') ?? ''
    const given = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() ?? ''
    const guard = s.security?.adminAuthGuard
    const ip = clientIp(event.node.req) ?? 'unknown'
    const wait = given ? (guard?.blockedFor(ip) ?? 0) : 0
    if (wait) {
      setResponseStatus(event, 429)
      setResponseHeader(event, 'retry-after', wait)
      return { error: { code: 'too_many_requests', message: `too many wrong metrics tokens from this address: try again in ${wait} s` } }
    }
    if (!sameToken(given, want)) {
      // A missing token is a scraper without configuration, not a guess.
      if (given) {
        guard?.fail(ip)
        void s.security?.audit({ actor: null, role: null, ip, action: 'auth.credential', target: 'GET /metrics', outcome: 'denied', detail: 'invalid metrics token (Bearer)' })
      }
      setResponseStatus(event, 401)
      setResponseHeader(event, 'www-authenticate', 'Bearer realm="metrics"')
      return { error: { code: 'unauthorized', message: 'metrics token required (Authorization: Bearer <NUXT_METRICS_TOKEN>)' } }
    }
  }
  setResponseHeader(event, 'content-type', s.ops.metrics.contentType)
  setResponseHeader(event, 'cache-control', 'no-store')
  return s.ops.metrics.text()
})
