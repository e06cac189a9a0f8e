import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from 'node:net'
import { CLIENT_KEY, mockConfigYaml, startServer, type RunningServer } from './support/server'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'

/**
 * Malformed cookies, paths, query strings and headers on every route family: no answer is a 5xx,
 * none carries a stack trace, and the server's own output shows none either. Requests go out on raw
 * sockets so the bytes are exactly as written (fetch would normalise paths and refuse some headers).
 * Bodies are fuzzed in security-fuzz.test.ts.
 */
let mock: MockUpstream
let server: RunningServer

beforeAll(async () => {
  mock = await startMockUpstream()
  server = await startServer({ config: mockConfigYaml(mock.url) })
})
afterAll(async () => {
  await server?.stop()
  await mock?.close()
})

interface Route {
  method: 'GET' | 'POST'
  path: string
  body?: string
  /** The public API: sent with a client key, so a well-formed call would reach the mock upstream. */
  client?: boolean
}

const chatBody = JSON.stringify({ model: 'oa-text', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] })
const geminiBody = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] })

const ROUTES: Route[] = [
  { method: 'GET', path: '/api/trpc/auth.me' },
  { method: 'GET', path: '/api/trpc/providers.list' },
  { method: 'GET', path: '/api/trpc/health.get,auth.me?batch=1&input=%7B%7D' },
  { method: 'POST', path: '/api/trpc/auth.login', body: '{"key":"not-a-key"}' },
  { method: 'POST', path: '/api/trpc/clientKeys.create', body: '{"name":"fuzz"}' },
  { method: 'GET', path: '/health' },
  { method: 'GET', path: '/health/live' },
  { method: 'GET', path: '/health/detailed' },
  { method: 'GET', path: '/metrics' },
  { method: 'GET', path: '/docs' },
  { method: 'GET', path: '/docs/openapi.json' },
  { method: 'GET', path: '/admin' },
  { method: 'GET', path: '/admin/login' },
  { method: 'GET', path: '/' },
  { method: 'GET', path: '/v1/admin/stats?since=24h' },
  { method: 'GET', path: '/v1/admin/security/key-info' },
  { method: 'POST', path: '/v1/admin/security/validate-key', body: '{"key":"x"}' },
  { method: 'GET', path: '/v1/models', client: true },
  { method: 'GET', path: '/v1/models/oa-text', client: true },
  { method: 'GET', path: '/v1beta/models', client: true },
  { method: 'POST', path: '/v1/chat/completions', body: chatBody, client: true },
  { method: 'POST', path: '/v1/mock-openai/chat/completions', body: chatBody, client: true },
  { method: 'POST', path: '/v1/messages', body: chatBody, client: true },
  { method: 'POST', path: '/v1/responses', body: JSON.stringify({ model: 'oa-text', input: 'hi' }), client: true },
  { method: 'POST', path: '/v1/embeddings', body: JSON.stringify({ model: 'oa-text-embedding', input: 'hi' }), client: true },
  { method: 'POST', path: '/v1beta/models/oa-text:generateContent', body: geminiBody, client: true },
  { method: 'POST', path: '/v1/models/gm-text:countTokens', body: geminiBody, client: true },
]

/** One malformation of a request: its path, extra headers (replacing same-named ones), or both. */
interface Variant {
  what: string
  path?: (path: string) => string
  headers?: Record<string, string>
}

const splitQuery = (p: string): [string, string] => {
  const q = p.indexOf('?')
  return q < 0 ? [p, ''] : [p.slice(0, q), p.slice(q)]
}
const inPath = (f: (p: string) => string) => (full: string) => {
  const [p, q] = splitQuery(full)
  return f(p) + q
}
const withQuery = (extra: string) => (full: string) => (full.includes('?') ? `${full}&${extra}` : `${full}?${extra}`)
/** Inserts text into the last path segment, before a Gemini `:method` when there is one. */
const inLastSegment = (text: string) =>
  inPath((p) => {
    const slash = p.lastIndexOf('/')
    const colon = p.indexOf(':', slash)
    const at = colon > 0 ? colon : p.length
    return slash < 0 ? p + text : p.slice(0, slash + 1) + text + p.slice(slash + 1, at) + p.slice(at)
  })

const VARIANTS: Variant[] = [
  // Cookies
  ...['rosetta_session=%E0%A4%A', 'rosetta_session=%', 'rosetta_session="unterminated', 'rosetta_session', '=;;=;', `rosetta_session=${'%ff'.repeat(2000)}`, 'a=1; rosetta_session=%E0%A4%A; rosetta_session=%C0%AF'].map(
    (c): Variant => ({ what: `cookie ${c.slice(0, 40)}`, headers: { cookie: c } }),
  ),
  // Paths
  { what: 'bad escape in the path', path: inLastSegment('%E0%A4%A') },
  { what: 'a lone % in the path', path: inLastSegment('%') },
  { what: '%ZZ in the path', path: inLastSegment('%ZZ') },
  { what: 'encoded NUL in the path', path: inLastSegment('%00') },
  { what: 'raw NUL in the path', path: inLastSegment('\u0000') },
  { what: 'raw non-UTF-8 bytes in the path', path: inLastSegment('\u00ff\u00fe') },
  { what: 'dot segments', path: inPath((p) => `${p}/..%2f..%2f..%2fetc%2fpasswd`) },
  { what: 'double slashes', path: (p) => `//${p.replace(/^\//, '')}` },
  { what: 'overlong path (8 KB)', path: inPath((p) => `${p}${'a'.repeat(8000)}`) },
  { what: 'path over the header limit (20 KB)', path: inPath((p) => `${p}${'a'.repeat(20_000)}`) },
  // Query strings
  ...['input=%E0%A4%A', 'key=%', 'since=%E0', 'since=1h&since=2h', 'input={', 'batch=1&input=%7B%22', 'alt=sse%', '%=%', 'a[b]=1&a[b][c]=2', '__proto__[x]=1&constructor[prototype][y]=1', 'input=' + '%5B'.repeat(3000)].map(
    (q): Variant => ({ what: `query ${q.slice(0, 40)}`, path: withQuery(q) }),
  ),
  // Headers
  ...(
    [
      ['authorization', 'Bearer'],
      ['authorization', 'Bearer %E0%A4%A'],
      ['authorization', `Bearer ${'x'.repeat(8000)}`],
      ['authorization', 'Basic Zm9vOmJhcg=='],
      ['authorization', '   '],
      ['x-api-key', '%E0%A4%A'],
      ['x-goog-api-key', ''],
      ['content-type', 'application/json; charset=utf-99'],
      ['content-type', 'multipart/form-data; boundary='],
      ['origin', '::::'],
      ['origin', 'null'],
      ['origin', 'http://[::1'],
      ['host', '[::1'],
      ['host', 'x:99999999'],
      ['host', '%'],
      ['sec-fetch-site', 'bogus'],
      ['x-forwarded-proto', ',,,'],
      ['x-forwarded-for', 'not-an-address, ,'],
      ['anthropic-version', '%'],
      ['anthropic-beta', ',,,,'],
      ['accept-encoding', 'gzip;q=abc, *;q=-1'],
      ['accept', 'text/event-stream;;;q='],
      ['range', 'bytes=abc-def'],
      ['if-modified-since', 'yesterday'],
      ['if-none-match', '"'],
      ['x-request-id', '\u00ff\u00fe%E0'],
      ['user-agent', '\u00ff'.repeat(3000)],
    ] as const
  ).map(([h, v]): Variant => ({ what: `header ${h}: ${v.slice(0, 30)}`, headers: { [h]: v } })),
]

interface Answer {
  status: number
  text: string
}

/** One HTTP/1.1 request on its own socket, bytes as given (latin1: each char one byte). */
/** An answer with this status whose body says `says` (a substring, or a pattern it matches). */
function expectAnswer(a: Answer, status: number, says: string | RegExp): void {
  expect(a.status, a.text).toBe(status)
  expect(a.text).toMatch(says)
}

function raw(port: number, method: string, path: string, headers: Record<string, string>, body = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = { host: `127.0.0.1:${port}`, connection: 'close', ...headers }
    if (method === 'POST') all['content-length'] = String(Buffer.byteLength(body))
    const head = `${method} ${path} HTTP/1.1\r\n${Object.entries(all)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n')}\r\n\r\n`
    const sock = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    sock.setTimeout(20_000, () => sock.destroy(new Error(`no answer to ${method} ${path.slice(0, 80)}`)))
    sock.on('data', (d: Buffer) => chunks.push(d))
    sock.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' && chunks.length ? undefined : reject(e)))
    sock.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1')
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)
      resolve({ status, text })
    })
    // Not end(): a half-closed socket may be dropped before the answer; `connection: close` ends it.
    sock.write(Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body, 'utf8')]))
  })
}

function requestOf(route: Route, v: Variant | undefined) {
  const headers: Record<string, string> = {}
  if (route.method === 'POST') headers['content-type'] = 'application/json'
  if (route.client) Object.assign(headers, { authorization: `Bearer ${CLIENT_KEY}`, 'anthropic-version': '2023-06-01' })
  Object.assign(headers, v?.headers ?? {})
  return { path: v?.path ? v.path(route.path) : route.path, headers }
}

/** Runs `jobs` with at most `n` in flight (one server on a shared machine: no flood). */
async function pool<T>(jobs: Array<() => Promise<T>>, n: number): Promise<T[]> {
  const out: T[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < jobs.length) {
        const i = next++
        out[i] = await jobs[i]!()
      }
    }),
  )
  return out
}

/** A stack frame (raw or JSON-escaped newline, then `at …:line:col`), or the error that started this. */
const STACK = /(?:\n|\\n)\s+at \S[^\n]*:\d+:\d+|URIError/

describe('malformed cookies, paths, query strings and headers', () => {
  it('every route family answers a well-formed request without a 5xx (the baseline)', async () => {
    for (const r of ROUTES) {
      const q = requestOf(r, undefined)
      const a = await raw(server.port, r.method, q.path, q.headers, r.body)
      expect(a.status, `${r.method} ${r.path}: ${a.text.slice(0, 300)}`).toBeGreaterThanOrEqual(200)
      expect(a.status, `${r.method} ${r.path}: ${a.text.slice(0, 300)}`).toBeLessThan(500)
    }
  })

  it(`${ROUTES.length} routes × ${VARIANTS.length} malformations: no 5xx, no stack trace in any answer`, { timeout: 240_000 }, async () => {
    const jobs = ROUTES.flatMap((r) =>
      VARIANTS.map((v) => async () => {
        const q = requestOf(r, v)
        const a = await raw(server.port, r.method, q.path, q.headers, r.body)
        return { label: `${r.method} ${r.path} with ${v.what}`, ...a }
      }),
    )
    const answers = await pool(jobs, 6)
    const bad = answers.filter((a) => a.status === 0 || a.status >= 500 || STACK.test(a.text))
    expect(bad.map((a) => `${a.label}: ${a.text.slice(0, 400)}`)).toEqual([])
    expect(answers.length).toBe(ROUTES.length * VARIANTS.length)
  })

  it('a malformed session cookie is an unknown session: 401 where a login is needed, in the caller\'s format', async () => {
    const cookie = { cookie: 'rosetta_session=%E0%A4%A' }
    expectAnswer(await raw(server.port, 'GET', '/api/trpc/auth.me', cookie), 200, '"authenticated":false')
    expectAnswer(await raw(server.port, 'GET', '/api/trpc/providers.list', cookie), 401, '"code":"UNAUTHORIZED"')
    expectAnswer(await raw(server.port, 'GET', '/health/detailed', cookie), 401, '"code":"unauthorized"')
  })

  it('a malformed public-door path is a 400 in the door\'s dialect', async () => {
    const h = { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' }
    expectAnswer(await raw(server.port, 'POST', '/v1beta/models/oa%E0%A4%A-text:generateContent', h, geminiBody), 400, /"status":\s*"INVALID_ARGUMENT"/)
    expectAnswer(await raw(server.port, 'POST', '/v1/mock%E0%A4%A/chat/completions', h, chatBody), 400, '"type":"invalid_request_error"')
    expectAnswer(await raw(server.port, 'GET', '/v1/models/oa%E0%A4%A', h), 400, 'percent-encoding')
  })

  it('the server printed no stack trace and still serves', async () => {
    const r = await raw(server.port, 'POST', '/v1/chat/completions', { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' }, chatBody)
    expect(r.status).toBe(200)
    expect(server.output()).not.toMatch(STACK)
    expect(server.output()).not.toMatch(/unhandled route error|uncaught/i)
  })
})
