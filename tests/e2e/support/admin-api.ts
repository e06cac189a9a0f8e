import { request } from 'node:http'

/** Small helpers for the admin API over HTTP (tRPC without a transformer, and REST). */
export interface Reply {
  status: number
  headers: Headers
  body: any
  text: string
}

/**
 * fetch, from another loopback source address when `from` is given (any 127.x.y.z works on Linux):
 * the server throttles wrong credentials per address, so tests that send many on purpose send them
 * from addresses of their own. (node:http, because undici's connector ignores `localAddress`.)
 */
export function fetchFrom(from: string | undefined, url: string, init: RequestInit = {}): Promise<Response> {
  if (!from) return fetch(url, init)
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers as Record<string, string>, localAddress: from, signal: init.signal ?? undefined }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const headers = new Headers()
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v)
        resolve(new Response(res.statusCode === 204 ? null : Buffer.concat(chunks), { status: res.statusCode, headers }))
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(init.body as string | undefined)
  })
}

/** A body's JSON, undefined when it is not JSON (an error page, a cut stream). */
export function parseJson(text: string): any {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

async function reply(r: Response): Promise<Reply> {
  const text = await r.text()
  return { status: r.status, headers: r.headers, body: parseJson(text), text }
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

/** Calls a tRPC procedure: queries as GET, mutations as POST. */
export async function trpc(base: string, type: 'query' | 'mutation', path: string, input?: unknown, headers: Record<string, string> = {}, from?: string): Promise<Reply> {
  if (type === 'query') {
    const q = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`
    return reply(await fetchFrom(from, `${base}/api/trpc/${path}${q}`, { headers, signal: AbortSignal.timeout(10_000) }))
  }
  return reply(
    await fetchFrom(from, `${base}/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: input === undefined ? undefined : JSON.stringify(input),
      signal: AbortSignal.timeout(10_000),
    }),
  )
}

export async function rest(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, from?: string): Promise<Reply> {
  return reply(
    await fetchFrom(from, `${base}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    }),
  )
}

/** A chat call with a client key, raw (no SDK), so the test sees the status, headers and body. */
export function chat(base: string, key: string, model: string, path = '/v1/chat/completions'): Promise<Reply> {
  const body = path === '/v1/messages' ? { model, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] } : { model, messages: [{ role: 'user', content: 'hi' }] }
  return rest(base, 'POST', path, body, bearer(key))
}
