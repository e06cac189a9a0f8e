import { dialectOfPath } from '../gateway/http/path-dialect'
import { GatewayError } from '../gateway/errors'
import { discardBody, readBody } from '../gateway/http/read-body'
import { sendError } from '../gateway/http/respond'
import { isCorsPath } from '../gateway/http/cors'

/**
 * Every request that takes h3's path (the public doors take the fast path and enforce their own
 * limit): security headers on pages and the admin API, and the body size limit (NUXT_MAX_BODY_MB)
 * with a 413 in the caller's dialect on /v1, JSON elsewhere. tRPC's body is read here, within the
 * limit, so a chunked upload cannot grow without bound either.
 */
const CSP = [
  "default-src 'self'",
  // Nuxt's SPA shell carries its runtime config in an inline script; element-plus sets inline styles.
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

let limitBytes: number | undefined

export default defineEventHandler(async (event) => {
  const req = event.node.req
  const res = event.node.res
  const url = req.url ?? '/'
  const api = isCorsPath(url)
  res.setHeader('x-content-type-options', 'nosniff')
  if (!api) {
    res.setHeader('x-frame-options', 'DENY')
    res.setHeader('referrer-policy', 'no-referrer')
    res.setHeader('content-security-policy', CSP)
  }
  const method = req.method ?? 'GET'
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return
  limitBytes ??= Math.round(Number(useRuntimeConfig().maxBodyMb || 32) * 1048576)
  const tooLarge = () => {
    const msg = `request body exceeds the limit of ${Math.round(limitBytes! / 1048576)} MB`
    if (api) sendError(res, dialectOfPath(url), new GatewayError('payload_too_large', msg))
    else {
      const text = JSON.stringify({ error: { code: 'payload_too_large', message: msg } })
      res.writeHead(413, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
      res.end(text)
    }
  }
  if (Number(req.headers['content-length']) > limitBytes) {
    // No `connection: close`: Node would close the socket with the body unread (a reset, not our 413).
    discardBody(req)
    return tooLarge()
  }
  if (url.startsWith('/api/trpc')) {
    try {
      ;(req as { rawBody?: Buffer }).rawBody = await readBody(req, limitBytes)
    } catch (e) {
      if (GatewayError.is(e) && e.kind === 'payload_too_large') return tooLarge()
      throw e
    }
  }
})
