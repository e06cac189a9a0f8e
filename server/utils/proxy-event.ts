import type { H3Event } from 'h3'
import { whenReady } from '../services/app-state'
import { handleProxy } from '../gateway/proxy'
import { doorFor } from '../gateway/http/doors'
import { GatewayError } from '../gateway/errors'
import { sendError } from '../gateway/http/respond'

/**
 * Thin Nitro → gateway bridge for the public API: the URL says which door (dialect, forced
 * provider, Gemini model and method); the gateway works on Node's req/res directly. The fast-path
 * plugin calls this before h3's router; the route files call it when that plugin is not in front.
 */
export async function proxyEvent(event: H3Event, known?: ReturnType<typeof doorFor>): Promise<void> {
  const req = event.node.req
  // The fast path has already looked the door up (once per request is enough: it is on every call).
  const door = known ?? doorFor(req.url ?? '/')
  // Only the model routes (`/v1/models/x`, `/v1beta/models/x`) reach here without a door: no method.
  if (door === undefined) {
    sendError(event.node.res, 'gemini', new GatewayError('not_found', `unknown method in '${(req.url ?? '/').slice(0, 200)}': expected models/{model}:generateContent, :streamGenerateContent, :countTokens, :embedContent or :batchEmbedContents`))
    return
  }
  if ('refused' in door) {
    sendError(event.node.res, door.dialect, new GatewayError(door.refused === 'bad-encoding' ? 'invalid_request' : 'not_found', door.message))
    return
  }
  const st = await whenReady()
  await handleProxy(st.gateway, door, req, event.node.res)
}
