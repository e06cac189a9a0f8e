import { doorFor } from '../gateway/http/doors'
import { proxyEvent } from '../utils/proxy-event'
import type { Server, ServerResponse } from 'node:http'
import { shutdownState } from '../services/ops/graceful-shutdown'
import { answerPreflight, applyCors, isCorsPath, parseCorsOrigins } from '../gateway/http/cors'
import { isValidHostHeader } from '../gateway/http/host-header'
import { dialectOfPath } from '../gateway/http/path-dialect'
import { sendError } from '../gateway/http/respond'
import { GatewayError } from '../gateway/errors'

/**
 * Node closes idle keep-alive connections after 5 s; a client reusing one at that instant gets a
 * reset ("fetch failed"). Idle connections live longer than any usual client or proxy pool (load
 * balancers idle out at 60 s), so the client always closes first. Nitro gives no setting for it,
 * so it is set on the server the first request arrives on.
 */
function tuneServer(server: Server | undefined): void {
  if (!server) return
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
}

/** A Host header no URL can be built from: a 400 in the caller's format (the API's dialect, else JSON). */
function refuseBadHost(url: string, res: ServerResponse): void {
  const message = 'malformed Host header'
  if (isCorsPath(url)) {
    sendError(res, dialectOfPath(url), new GatewayError('invalid_request', message))
    return
  }
  res.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify({ error: { code: 'bad_request', message } }))
}

/**
 * The public API skips h3's stack: Nitro's request hooks, route rules and router cost ~120 µs of CPU
 * per request here (bench/results/profile.md), more than the whole gateway. A POST to a public door
 * goes straight to the gateway; everything else (UI, tRPC, model lists, docs) takes the usual path.
 * The route files under server/routes/v1* stay as the same handlers for when this is not in front.
 * CORS (NUXT_CORS_ORIGINS) is answered here too: preflights for the public API never reach h3.
 * A malformed Host header is refused here, before h3 builds a URL from it.
 */
export default defineNitroPlugin((nitroApp) => {
  const app = nitroApp.h3App
  const slow = app.handler
  const cors = parseCorsOrigins(String(useRuntimeConfig().corsOrigins ?? ''))
  let tuned = false
  // Returns what h3's handler returns (its type says `any`; this code only passes it on).
  const fast = ((event): unknown => {
    const req = event.node.req
    if (!tuned) {
      tuned = true
      const server = (req.socket as unknown as { server?: Server }).server
      tuneServer(server)
      shutdownState()?.see(server)
    }
    // The shutdown drain counts requests in flight; once draining, every answer closes its
    // connection, so no kept-alive connection is left for a client to send into while we exit.
    const shutdown = shutdownState()
    if (shutdown) {
      shutdown.track(event.node.res)
      if (shutdown.draining) event.node.res.setHeader('connection', 'close')
    }
    const url = req.url ?? '/'
    if (!isValidHostHeader(req.headers.host)) return refuseBadHost(url, event.node.res)
    const door = req.method === 'POST' ? doorFor(url) : undefined
    if (door !== undefined) {
      if (cors && req.headers.origin) applyCors(cors, req, event.node.res)
      return proxyEvent(event, door)
    }
    if (req.method === 'OPTIONS' && isCorsPath(url)) return answerPreflight(cors, req, event.node.res)
    if (cors && req.headers.origin && isCorsPath(url)) applyCors(cors, req, event.node.res)
    return slow(event)
  }) as typeof slow
  app.handler = Object.assign(fast, slow)
})
