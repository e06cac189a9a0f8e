import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useGateway } from './support/setup'
import { ADMIN_KEY, CLIENT_KEY, mockConfigYaml, startServer, type RunningServer } from './support/server'
import { LOCAL_FILES_ON_POSTGRES, TEST_STORE, storeDump } from './support/test-store'

/**
 * The request log end to end: every field for streamed and unstreamed, converted and passthrough,
 * successful and failed requests; bodies redacted and reassembled; no secret anywhere in the database.
 */
const BIG_IMAGE = Buffer.alloc(4096, 9).toString('base64')
const BODY_SECRET = 'sk-body-secret-never-stored-0123456789'
const UPSTREAM_KEYS = ['sk-upstream-openai-1', 'sk-upstream-openai-2', 'sk-ant-upstream-1', 'AIza-upstream-1', 'sk-err-openai']

// The last test stops the server itself (keepDir) to read the store; the file's afterAll then only cleans up.
const gw = useGateway()

async function trpc(path: string, input?: unknown, method: 'GET' | 'POST' = 'GET') {
  const headers = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }
  const r =
    method === 'GET'
      ? await fetch(`${gw.server.url}/api/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, { headers })
      : await fetch(`${gw.server.url}/api/trpc/${path}`, { method, headers, body: JSON.stringify(input) })
  const body = (await r.json()) as any
  if (!r.ok) throw new Error(JSON.stringify(body))
  return body.result.data
}

/** A raw call (the test controls headers and body), read to the end; returns the request id. */
async function call(path: string, body: unknown, headers: Record<string, string> = {}) {
  const raw = JSON.stringify(body)
  const r = await fetch(`${gw.server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json', 'user-agent': 'log-test/1.0', ...headers },
    body: raw,
  })
  const text = await r.text()
  return { id: r.headers.get('x-request-id')!, status: r.status, text, bytesIn: Buffer.byteLength(raw) }
}

/** The log is written in batches: poll until the row (and its bodies) are there. */
async function logged(requestId: string): Promise<any> {
  for (let i = 0; i < 60; i++) {
    try {
      const row = await trpc('logs.get', { requestId })
      if (row.bodies) return row
    } catch {
      /* not flushed yet */
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${requestId} never reached the log`)
}

const chat = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  api_key: BODY_SECRET,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${BIG_IMAGE}` } }] }],
  ...extra,
})

const ids: Record<string, { id: string; status: number; text: string; bytesIn: number }> = {}

describe('request log', () => {
  it('prices edited over tRPC apply to the next request at once', async () => {
    const rows = await trpc('prices.update', { upsert: [{ pattern: 'oa-text', inputPerM: 1000, outputPerM: 2000 }], remove: [] }, 'POST')
    expect(rows.find((p: any) => p.pattern === 'oa-text')).toMatchObject({ inputPerM: 1000, outputPerM: 2000, cacheReadPerM: null })
    expect(rows.some((p: any) => p.pattern === 'claude-sonnet-4-5')).toBe(true)
  })

  it('sends the requests: passthrough/converted × streamed/not × ok/failed', async () => {
    ids.passthrough = await call('/v1/chat/completions', chat('oa-text'), { 'x-claude-code-session-id': 'sess-42' })
    ids.convertedStream = await call('/v1/chat/completions', chat('an-tools', { stream: true, stream_options: { include_usage: true } }))
    ids.passthroughStream = await call(
      '/v1/messages',
      { model: 'an-text', max_tokens: 50, stream: true, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: BIG_IMAGE } }, { type: 'text', text: 'hi' }] }] },
      { 'anthropic-version': '2023-06-01' },
    )
    ids.converted = await call('/v1/messages', { model: 'gm-text', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }], metadata: { password: BODY_SECRET } }, { 'anthropic-version': '2023-06-01' })
    ids.upstreamFail = await call('/v1/chat/completions', chat('oa-e400'))
    ids.unknown = await call('/v1/chat/completions', { model: 'zz-nowhere', messages: [{ role: 'user', content: 'hi' }] })
    ids.midstream = await call('/v1/chat/completions', chat('oa-midstream', { stream: true }))
    expect([ids.passthrough, ids.convertedStream, ids.passthroughStream, ids.converted, ids.midstream].map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(ids.upstreamFail.status).toBe(400)
    expect(ids.unknown.status).toBe(404)
  })

  it('an unstreamed passthrough request: every field, priced, with its session and redacted bodies', async () => {
    const r = await logged(ids.passthrough!.id)
    expect(r).toMatchObject({
      requestId: ids.passthrough!.id,
      clientKey: 'test',
      dialect: 'openai-chat',
      upstreamDialect: 'openai-chat',
      model: 'oa-text',
      providerId: 'mock-openai',
      upstreamModel: 'oa-text',
      route: 'route:openai',
      stream: false,
      status: 200,
      errorKind: null,
      errorMessage: null,
      errorId: null,
      inputTokens: 21,
      outputTokens: 9,
      bytesIn: ids.passthrough!.bytesIn,
      bytesOut: Buffer.byteLength(ids.passthrough!.text),
      clientIp: '127.0.0.1',
      userAgent: 'log-test/1.0',
      sessionId: 'sess-42',
    })
    expect(typeof r.keyId).toBe('number')
    expect(r.costUsd).toBeCloseTo((21 * 1000 + 9 * 2000) / 1e6, 9)
    expect(r.latencyMs).toBeGreaterThan(0)
    expect(r.ttfbMs).toBeGreaterThan(0)
    expect(r.upstreamLatencyMs).toBeGreaterThan(0)
    expect(r.upstreamLatencyMs).toBeLessThanOrEqual(r.latencyMs)
    // The key by its masked hint (first and last 4 characters), never the key; it has no name in rosetta.yaml.
    expect(r.attempts).toEqual([{ provider: 'mock-openai', model: 'oa-text', keyId: r.keyId, keyHint: expect.stringMatching(/^sk-u…/), keyName: null, status: 200, errorKind: null, latencyMs: expect.any(Number) }])
    expect(JSON.stringify(r.attempts)).not.toContain('sk-upstream-openai')
    expect(r.bodies.request.api_key).toBe('[redacted]')
    expect(r.bodies.request.messages[0].content[1].image_url.url).toEqual({ type: 'image/png', size: 4096, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(r.bodies.response).toEqual(JSON.parse(ids.passthrough!.text))
    expect(r.bodies.requestTruncated).toBe(false)
  })

  it('a converted stream: the response body is the stream reassembled in the client dialect', async () => {
    const r = await logged(ids.convertedStream!.id)
    expect(r).toMatchObject({ dialect: 'openai-chat', upstreamDialect: 'anthropic', providerId: 'mock-anthropic', upstreamModel: 'an-tools', stream: true, status: 200, inputTokens: 21, outputTokens: 9, costUsd: null, sessionId: null })
    expect(r.ttfbMs).toBeGreaterThan(0)
    expect(r.upstreamLatencyMs).toBeGreaterThan(0)
    expect(r.bodies.response.object).toBe('chat.completion')
    expect(r.bodies.response.choices[0].message).toMatchObject({ content: 'Let me check.', tool_calls: [{ function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' } }] })
    expect(r.bodies.response.choices[0].finish_reason).toBe('tool_calls')
  })

  it('a passthrough stream and a converted unstreamed answer', async () => {
    const s = await logged(ids.passthroughStream!.id)
    expect(s).toMatchObject({ dialect: 'anthropic', upstreamDialect: 'anthropic', stream: true, status: 200, inputTokens: 21, outputTokens: 9 })
    expect(s.bodies.response).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Hello from anthropic!' }] })
    expect(s.bodies.request.messages[0].content[0].source.data).toEqual({ type: 'image/png', size: 4096, sha256: expect.any(String) })
    const c = await logged(ids.converted!.id)
    expect(c).toMatchObject({ dialect: 'anthropic', upstreamDialect: 'gemini', providerId: 'mock-gemini', stream: false, status: 200, inputTokens: 21, outputTokens: 9 })
    expect(c.bodies.request.metadata.password).toBe('[redacted]')
    expect(c.bodies.response).toEqual(JSON.parse(ids.converted!.text))
  })

  it('failed requests: status, error kind, message and error id (= x-request-id), attempts, the error body', async () => {
    const f = await logged(ids.upstreamFail!.id)
    expect(f).toMatchObject({ status: 400, errorKind: 'invalid_request', errorId: ids.upstreamFail!.id, providerId: 'mock-openai-err', inputTokens: null, costUsd: null })
    expect(f.errorMessage).toContain('mock openai-chat says e400')
    expect(f.upstreamLatencyMs).toBeGreaterThan(0)
    expect(f.attempts).toEqual([expect.objectContaining({ provider: 'mock-openai-err', status: 400, errorKind: 'invalid_request' })])
    expect(f.bodies.response).toEqual(JSON.parse(ids.upstreamFail!.text))
    const u = await logged(ids.unknown!.id)
    expect(u).toMatchObject({ status: 404, errorKind: 'not_found', errorId: ids.unknown!.id, providerId: null, upstreamLatencyMs: null, attempts: [] })
    expect(u.bodies.response).toEqual(JSON.parse(ids.unknown!.text))
    const m = await logged(ids.midstream!.id)
    expect(m).toMatchObject({ status: 200, stream: true, errorKind: 'connection', errorId: ids.midstream!.id })
    expect(m.bodies.response.stream_error.error.message).toMatch(/.+/)
  })

  it('lists and filters over tRPC, and GET /v1/admin/stats returns the contract shape', async () => {
    const all = await trpc('logs.list', { since: '1h' })
    expect([all.total, all.totalExact]).toEqual([7, true])
    expect((await trpc('logs.list', { since: '1h', status: 'error' })).items.map((r: any) => r.requestId).sort()).toEqual([ids.upstreamFail!.id, ids.unknown!.id, ids.midstream!.id].sort())
    expect((await trpc('logs.list', { since: '1h', search: 'says e400' })).items.map((r: any) => r.requestId)).toEqual([ids.upstreamFail!.id])
    expect((await trpc('logs.list', { since: '1h', provider: 'mock-anthropic', stream: true })).total).toBe(2)
    const denied = await fetch(`${gw.server.url}/v1/admin/stats?since=24h`, { headers: { authorization: `Bearer ${CLIENT_KEY}` } })
    expect(denied.status).toBe(401)
    const r = await fetch(`${gw.server.url}/v1/admin/stats?since=24h`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
    expect(r.status).toBe(200)
    const s = (await r.json()) as any
    expect(Date.parse(s.range.to) - Date.parse(s.range.from)).toBe(86_400_000)
    expect(s.totals).toMatchObject({ requests: 7, errors: 3, input_tokens: 21 * 4, output_tokens: 9 * 4 })
    expect(s.totals.cost_usd).toBeCloseTo(0.039, 9)
    expect(s.totals.latency_ms.p50).toBeGreaterThan(0)
    expect(s.exact_percentiles).toBe(true)
    expect(s.totals.latency_ms.p99).toBeGreaterThanOrEqual(s.totals.latency_ms.p95)
    expect(s.by_model.find((g: any) => g.model === 'oa-text')).toMatchObject({ requests: 1, cost_usd: 0.039 })
    expect(s.by_provider.map((g: any) => g.provider)).toContain('mock-anthropic')
    expect(s.series.reduce((n: number, p: any) => n + p.requests, 0)).toBe(7)
    expect((await fetch(`${gw.server.url}/v1/admin/stats?since=yesterday`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).status).toBe(400)
  })

  it('no secret reaches the log: not in any row or body, not in the store after shutdown', async () => {
    const rows = await trpc('logs.list', { since: '1h', limit: 100 })
    const details = await Promise.all(rows.items.map((r: any) => trpc('logs.get', { requestId: r.requestId })))
    const dump = JSON.stringify(details)
    for (const s of [BODY_SECRET, CLIENT_KEY, ADMIN_KEY, ...UPSTREAM_KEYS, BIG_IMAGE.slice(0, 200)]) expect(dump).not.toContain(s)
    expect(await gw.server.stop('SIGTERM', { keepDir: true })).toBe(0)
    const file = await storeDump(gw.server.dir)
    // On PostgreSQL nothing is written to the data folder.
    if (TEST_STORE === 'postgres') expect(readdirSync(gw.server.dir).filter((f) => !LOCAL_FILES_ON_POSTGRES.includes(f))).toEqual([])
    for (const s of [BODY_SECRET, CLIENT_KEY, ADMIN_KEY, ...UPSTREAM_KEYS]) expect(file.includes(s), s).toBe(false)
    gw.server.cleanup()
  })
})

describe('a full log queue', () => {
  let s2: RunningServer
  beforeAll(async () => {
    s2 = await startServer({ config: mockConfigYaml(gw.mock.url), env: { NUXT_LOG_QUEUE_MAX: '1' } })
  })
  afterAll(async () => {
    await s2?.stop()
  })

  it('drops and counts log entries; every request is still answered in full', async () => {
    const t0 = performance.now()
    const rs = await Promise.all(
      Array.from({ length: 40 }, () =>
        fetch(`${s2.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'oa-text', messages: [{ role: 'user', content: 'hi' }] }),
        }).then(async (r) => [r.status, ((await r.json()) as any).choices?.[0]?.message?.content]),
      ),
    )
    expect(performance.now() - t0).toBeLessThan(5_000)
    expect(rs.every(([st, c]) => st === 200 && c === 'Hello from openai-chat!')).toBe(true)
    const st = await fetch(`${s2.url}/api/trpc/logs.status`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
    const status = ((await st.json()) as any).result.data
    expect(status.metadata.dropped).toBeGreaterThan(0)
    const metrics = await (await fetch(`${s2.url}/metrics`)).text()
    const dropped = Number(/^rosetta_log_dropped_total (\d+)/m.exec(metrics)?.[1])
    expect(dropped).toBeGreaterThan(0)
  })
})
