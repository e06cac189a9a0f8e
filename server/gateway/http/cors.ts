import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * CORS for the public API only (`/v1`, `/v1beta`; never `/v1/admin`): NUXT_CORS_ORIGINS lists the
 * browser origins allowed to call it (comma-separated, or `*`). The admin API stays same-origin.
 * No credentials: API keys travel in headers, never in cookies.
 */
export interface CorsPolicy {
  any: boolean
  origins: Set<string>
}

export function parseCorsOrigins(text: string): CorsPolicy | undefined {
  const list = text.split(',').map((s) => s.trim().replace(/\/+$/, '')).filter(Boolean)
  if (!list.length) return undefined
  return { any: list.includes('*'), origins: new Set(list.filter((o) => o !== '*').map((o) => o.toLowerCase())) }
}

/** A public-API path that CORS applies to. */
export function isCorsPath(url: string): boolean {
  return (url.startsWith('/v1/') || url.startsWith('/v1beta/') || url === '/v1' || url === '/v1beta') && !url.startsWith('/v1/admin')
}

function allowedOrigin(p: CorsPolicy, req: IncomingMessage): string | undefined {
  const origin = req.headers.origin
  if (!origin) return undefined
  if (p.any) return '*'
  return p.origins.has(origin.toLowerCase()) ? origin : undefined
}

/** Adds the CORS response headers to an actual request from an allowed origin. */
export function applyCors(p: CorsPolicy, req: IncomingMessage, res: ServerResponse): void {
  const o = allowedOrigin(p, req)
  if (!o) return
  res.setHeader('access-control-allow-origin', o)
  res.setHeader('access-control-expose-headers', 'x-request-id, request-id, retry-after, x-rosetta-warnings, x-rosetta-cache')
  if (o !== '*') res.setHeader('vary', 'Origin')
}

/** Answers an OPTIONS preflight: 204, with the allow headers only for an allowed origin. */
export function answerPreflight(p: CorsPolicy | undefined, req: IncomingMessage, res: ServerResponse): void {
  const o = p && allowedOrigin(p, req)
  const headers: Record<string, string> = { 'content-length': '0', vary: 'Origin' }
  if (o) {
    const asked = String(req.headers['access-control-request-headers'] ?? '').slice(0, 1000)
    headers['access-control-allow-origin'] = o
    headers['access-control-allow-methods'] = 'GET, POST, OPTIONS'
    headers['access-control-allow-headers'] = asked || 'authorization, content-type, x-api-key, x-goog-api-key, anthropic-version'
    headers['access-control-max-age'] = '600'
  }
  res.writeHead(204, headers)
  res.end()
}
