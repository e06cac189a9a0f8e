import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer as createTcpServer, connect, type Server as TcpServer } from 'node:net'
import OpenAI from 'openai'
import Anthropic from '@anthropic-ai/sdk'
import { ADMIN_KEY, CLIENT_KEY, freePort, mockConfigYaml, startServer, type RunningServer } from './support/server'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'
import { parsePrometheusText, sumOf } from '../helpers/prometheus'
import { TEST_STORE } from './support/test-store'

const METRICS_TOKEN = 'metrics-token-0123456789'
let mock: MockUpstream
let server: RunningServer
let flakyPort: number
let flakyProxy: TcpServer | undefined

beforeAll(async () => {
  mock = await startMockUpstream()
  flakyPort = await freePort()
  // 'flaky' points at a port nobody listens on until a test opens it (a TCP relay to the mock).
  const config = mockConfigYaml(mock.url)
    .replace('models:', `  - { id: flaky, type: openai, base_url: "http://127.0.0.1:${flakyPort}/openai/v1", keys: [sk-flaky] }\nmodels:`)
    .replace('routes:\n', 'routes:\n  - { name: flaky, match: { prefix: "fl-" }, provider: flaky, priority: 20 }\n')
  server = await startServer({ config, env: { NUXT_METRICS_TOKEN: METRICS_TOKEN } })
})
afterAll(async () => {
  await server?.stop()
  await mock?.close()
  await new Promise((r) => (flakyProxy ? flakyProxy.close(r) : r(undefined)))
})

const admin = { authorization: `Bearer ${ADMIN_KEY}` }
const openai = () => new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${server.url}/v1`, maxRetries: 0 })
const anthropic = () => new Anthropic({ apiKey: CLIENT_KEY, baseURL: server.url, maxRetries: 0 })
const scrape = async () => {
  const r = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  expect(r.status).toBe(200)
  expect(r.headers.get('content-type')).toContain('text/plain')
  return parsePrometheusText(await r.text())
}
const detailed = async () => {
  const r = await fetch(`${server.url}/health/detailed`, { headers: admin })
  expect(r.status).toBe(200)
  return (await r.json()) as any
}
const trpc = async (path: string, input?: unknown) => {
  const r = await fetch(`${server.url}/api/trpc/${path}`, input === undefined ? { headers: admin } : { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify(input) })
  return { status: r.status, body: (await r.json()) as any }
}
const chat = (model: string) => openai().chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] })

describe('/metrics', () => {
  it('requires the metrics token when NUXT_METRICS_TOKEN is set', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401)
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401)
    expect((await fetch(`${server.url}/metrics`, { headers: admin })).status).toBe(401)
  })

  it('counters move as requests flow, with bounded labels', async () => {
    const before = await scrape()
    const q = { dialect: 'openai-chat', model: 'oa-text', provider: 'mock-openai', status_class: '2xx' }
    await chat('oa-text')
    await chat('oa-text')
    const msg = await anthropic().messages.stream({ model: 'gm-text', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
    expect(msg.usage.output_tokens).toBe(9)
    const unknown = await chat('zz-no-such-model-req_123').catch((e) => e)
    expect(unknown.status).toBe(404)
    const after = await scrape()
    expect(sumOf(after, 'rosetta_requests_total', q) - sumOf(before, 'rosetta_requests_total', q)).toBe(2)
    expect(sumOf(after, 'rosetta_requests_total', { dialect: 'anthropic', provider: 'mock-gemini', status_class: '2xx' })).toBeGreaterThanOrEqual(1)
    expect(sumOf(after, 'rosetta_tokens_total', { type: 'input', provider: 'mock-openai' }) - sumOf(before, 'rosetta_tokens_total', { type: 'input', provider: 'mock-openai' })).toBe(42)
    expect(sumOf(after, 'rosetta_time_to_first_token_seconds_count', { dialect: 'anthropic' })).toBeGreaterThanOrEqual(1)
    expect(sumOf(after, 'rosetta_request_duration_seconds_count') - sumOf(before, 'rosetta_request_duration_seconds_count')).toBe(4)
    expect(sumOf(after, 'rosetta_errors_total', { kind: 'not_found' })).toBeGreaterThanOrEqual(1)
    // The unknown client string collapsed; no label anywhere carries a request id.
    expect(sumOf(after, 'rosetta_requests_total', { model: 'other', status_class: '4xx' })).toBeGreaterThanOrEqual(1)
    expect(after.samples.some((s) => Object.values(s.labels).some((v) => v.includes('req_')))).toBe(false)
    expect(sumOf(after, 'rosetta_provider_keys', { provider: 'mock-openai' })).toBe(2)
    expect(after.types.get('rosetta_log_queue_depth')).toBe('gauge')
    expect(after.types.get('rosetta_log_dropped_total')).toBe('counter')
    expect(sumOf(after, 'process_resident_memory_bytes')).toBeGreaterThan(0)
    expect(sumOf(after, 'rosetta_info', { version: '0.1.0' })).toBe(1)
  })
})

describe('/health/detailed', () => {
  it('requires the admin key (a client key is not enough)', async () => {
    expect((await fetch(`${server.url}/health/detailed`)).status).toBe(401)
    expect((await fetch(`${server.url}/health/detailed`, { headers: { authorization: `Bearer ${CLIENT_KEY}` } })).status).toBe(401)
  })

  it('reports database, process, config, version and the monitor', async () => {
    await chat('oa-text')
    const h = await detailed()
    expect(h).toMatchObject({ version: '0.1.0', mode: { mode: 'normal' }, config: { source: 'file' } })
    expect(h.database).toMatchObject({ writable: true, logQueue: { depth: expect.any(Number), dropped: 0 } })
    expect(h.database.sizeMb).toBeGreaterThan(0)
    expect(h.memory.rssMb).toBeGreaterThan(0)
    // The data folder's disk; on PostgreSQL there is no data folder (ROSETTA_TEST_STORE=postgres).
    if (TEST_STORE === 'duckdb') expect(h.disk.freeMb).toBeGreaterThan(0)
    else expect(h.database).toMatchObject({ engine: 'postgres', storage: null, checkpoints: null })
    expect(h.eventLoop).toHaveProperty('p99Ms')
    expect(h.cpu.cores).toBeGreaterThan(0)
    expect(h.keys.byProvider).toMatchObject({ 'mock-openai': 2, flaky: 1 })
    expect(h.monitor.endpoints.find((e: any) => e.endpoint === 'openai-chat')).toMatchObject({ count: expect.any(Number), latencyMs: { p50: expect.any(Number) } })
  })

  it('shows a provider going down and coming back', async () => {
    const down = await chat('fl-text').catch((e) => e)
    expect(down.status).toBe(502)
    let flaky = (await detailed()).providers.find((p: any) => p.id === 'flaky')
    expect(flaky).toMatchObject({ status: 'down', lastError: { kind: 'connection' }, source: 'passive' })
    expect((await detailed()).status).toBe('degraded')
    flakyProxy = createTcpServer((sock) => sock.pipe(connect(Number(new URL(mock.url).port), '127.0.0.1')).pipe(sock))
    await new Promise<void>((r) => flakyProxy!.listen(flakyPort, '127.0.0.1', r))
    const ok = await chat('fl-text')
    expect(ok.choices[0]!.message.content).toBe('Hello from openai-chat!')
    flaky = (await detailed()).providers.find((p: any) => p.id === 'flaky')
    expect(flaky.status).not.toBe('down')
    expect(flaky.lastStatus).toBe(200)
    const m = await scrape()
    expect(sumOf(m, 'rosetta_provider_up', { provider: 'flaky' })).toBe(1)
    expect(sumOf(m, 'rosetta_upstream_errors_total', { provider: 'flaky', kind: 'connection' })).toBe(1)
  })
})

describe('run modes', () => {
  it('ops procedures need the admin key', async () => {
    const r = await fetch(`${server.url}/api/trpc/ops.mode.get`)
    expect(r.status).toBe(401)
    const body = (await r.json()) as any
    expect(body.error.data.code).toBe('UNAUTHORIZED')
    expect(JSON.stringify(body)).not.toContain('stack')
  })

  it('ops.monitor returns per-endpoint numbers', async () => {
    const { body } = await trpc('ops.monitor')
    expect(body.result.data.endpoints.map((e: any) => e.endpoint)).toContain('openai-chat')
  })

  it('maintenance: new requests get a 503 in each dialect while a running stream finishes', async () => {
    const { data: stream, response } = await openai().chat.completions.create({ model: 'oa-slow', stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse()
    const it = stream[Symbol.asyncIterator]()
    let text = ''
    const first = await it.next()
    text += first.value?.choices[0]?.delta?.content ?? ''
    const set = await trpc('ops.mode.set', { mode: 'maintenance', retryAfterSeconds: 30, message: 'upgrading' })
    expect(set.body.result.data).toMatchObject({ mode: 'maintenance', retryAfter: 30 })

    const body = JSON.stringify({ model: 'oa-text', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }], contents: [{ parts: [{ text: 'hi' }] }] })
    const headers = { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' }
    const oa = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers, body })
    const an = await fetch(`${server.url}/v1/messages`, { method: 'POST', headers, body })
    const gm = await fetch(`${server.url}/v1beta/models/gm-text:generateContent`, { method: 'POST', headers, body })
    for (const r of [oa, an, gm]) {
      expect(r.status).toBe(503)
      expect(r.headers.get('retry-after')).toBe('30')
      expect(r.headers.get('x-request-id')).toMatch(/^req_/)
    }
    expect(((await oa.json()) as any).error).toMatchObject({ type: 'server_error', message: expect.stringContaining('maintenance') })
    expect((await an.json()) as any).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: expect.stringContaining('upgrading') } })
    expect(((await gm.json()) as any).error).toMatchObject({ code: 503, status: 'UNAVAILABLE' })
    // The admin side stays up.
    expect((await detailed()).mode.mode).toBe('maintenance')

    for (let n = await it.next(); !n.done; n = await it.next()) text += n.value.choices[0]?.delta?.content ?? ''
    expect(text).toBe('one two three four five six seven eight nine ten')
    expect(response.headers.get('x-request-id')).toMatch(/^req_/)

    await trpc('ops.mode.set', { mode: 'normal' })
    expect((await chat('oa-text')).choices[0]!.message.content).toBe('Hello from openai-chat!')
  })

  it('debug: verbose structured lines for a bounded time, then normal by itself', async () => {
    const { body } = await trpc('ops.mode.set', { mode: 'debug', minutes: 0.05 })
    expect(body.result.data).toMatchObject({ mode: 'debug', until: expect.any(String) })
    const { response } = await chat('oa-text').withResponse()
    const id = response.headers.get('x-request-id')!
    await new Promise((r) => setTimeout(r, 200))
    const line = server.output().split('\n').find((l) => l.includes(id) && l.includes('"level":"debug"'))
    expect(JSON.parse(line!)).toMatchObject({ level: 'debug', msg: 'request finished', requestId: id, status: 200 })
    await new Promise((r) => setTimeout(r, 3_200))
    expect((await trpc('ops.mode.get')).body.result.data.mode).toBe('normal')
  })
})

describe('/docs', () => {
  it('serves the OpenAPI JSON and an HTML page with only local assets', async () => {
    const j = (await (await fetch(`${server.url}/docs/openapi.json`)).json()) as any
    expect(j.openapi).toBe('3.1.0')
    expect(j.info.version).toBe('0.1.0')
    const r = await fetch(`${server.url}/docs`)
    expect(r.status).toBe(200)
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'")
    const html = await r.text()
    expect(html).toContain('/v1/chat/completions')
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
    expect(urls.filter((u) => /^(https?:)?\/\//.test(u))).toEqual([])
  })
})
