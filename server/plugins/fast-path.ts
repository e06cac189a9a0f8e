import { doorFor } from '../gateway/http/doors'
import { proxyEvent } from '../utils/proxy-event'

/**
 * The public API skips h3's stack: Nitro's request hooks, route rules and router cost ~120 µs of CPU
 * per request here (bench/results/profile.md), more than the whole gateway. A POST to a public door
 * goes straight to the gateway; everything else (UI, tRPC, model lists, docs) takes the usual path.
 * The route files under server/routes/v1* stay as the same handlers for when this is not in front.
 */
export default defineNitroPlugin((nitroApp) => {
  const app = nitroApp.h3App
  const slow = app.handler
  const fast = ((event) => {
    const req = event.node.req
    if (req.method === 'POST' && doorFor(req.url ?? '/') !== undefined) return proxyEvent(event)
    return slow(event)
  }) as typeof slow
  app.handler = Object.assign(fast, slow)
})
