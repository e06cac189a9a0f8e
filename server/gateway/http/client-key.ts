import type { IncomingMessage } from 'node:http'

/** The caller's key, whichever way its SDK sends it: Bearer, x-api-key, x-goog-api-key or ?key=. */
export function clientKeyOf(req: IncomingMessage, query: string | undefined): string | undefined {
  const auth = req.headers.authorization
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth)
    if (m) return m[1]!.trim()
  }
  const x = req.headers['x-api-key'] ?? req.headers['x-goog-api-key']
  if (typeof x === 'string' && x) return x.trim()
  return query ? (new URLSearchParams(query).get('key') ?? undefined) : undefined
}
