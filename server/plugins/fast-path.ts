import { doorFor } from '../gateway/http/doors'
import { proxyEvent } from '../utils/proxy-event'
import { answerPreflight, applyCors, isCorsPath, parseCorsOrigins } from '../gateway/http/cors'

/**
 * The public API skips h3's stack: Nitro's request hooks, route rules and router cost ~120 µs of CPU
 * per request here (bench/results/profile.md), more than the whole gateway. A POST to a public door
 * goes straight to the gateway; everything else (UI, tRPC, model lists, docs) takes the usual path.
 * The route files under server/routes/v1* stay as the same handlers for when this is not in front.
 * CORS (NUXT_CORS_ORIGINS) is answered here too: preflights for the public API never reach h3.
 */
export default defineNitroPlugin((nitroApp) => {
  const app = nitroApp.h3App
  const slow = app.handler
  const cors = parseCorsOrigins(String(useRuntimeConfig().corsOrigins ?? ''))
  const fast = ((event) => {
    const req = event.node.req
    const url = req.url ?? '/'
    if (req.method === 'POST' && doorFor(url) !== undefined) {
      if (cors && req.headers.origin) applyCors(cors, req, event.node.res)
      return proxyEvent(event)
    }
    if (req.method === 'OPTIONS' && isCorsPath(url)) return answerPreflight(cors, req, event.node.res)
    if (cors && req.headers.origin && isCorsPath(url)) applyCors(cors, req, event.node.res)
    return slow(event)
  }) as typeof slow
  app.handler = Object.assign(fast, slow)
})
