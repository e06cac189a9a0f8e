import { Agent, fetch as undiciFetch } from 'undici'

/** Small helpers for the admin API over HTTP (tRPC without a transformer, and REST). */
export interface Reply {
  status: number
  headers: Headers
  body: any
  text: string
}

const agents = new Map<string, Agent>()

/**
 * fetch, from another loopback source address when `from` is given (any 127.x.y.z works on Linux):
 * the server throttles wrong credentials per address, so tests that send many on purpose send them
 * from addresses of their own.
 */
export function fetchFrom(from: string | undefined, url: string, init: RequestInit = {}): Promise<Response> {
  if (!from) return fetch(url, init)
  let a = agents.get(from)
  if (!a) agents.set(from, (a = new Agent({ connect: { localAddress: from } })))
  return undiciFetch(url, { ...(init as object), dispatcher: a }) as unknown as Promise<Response>
}

async function reply(r: Response): Promise<Reply> {
  const text = await r.text()
  let body: any
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: r.status, headers: r.headers, body, text }
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
