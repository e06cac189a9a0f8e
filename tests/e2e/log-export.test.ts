import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDBInstance } from '@duckdb/node-api'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'
import { ADMIN_KEY, CLIENT_KEY, mockConfigYaml, startServer, type RunningServer } from './support/server'
import { seedRequestLog } from '../browser/support/seed-log'
import { onDatabase, seedRequestLogPostgres } from './support/seed-log-postgres'
import { TEST_STORE } from './support/test-store'

/**
 * GET /v1/admin/logs/export end to end on a seeded log: 400k requests over a day (100k per client
 * key), plus three rows whose text needs CSV quoting. The big export is read as it arrives and the
 * server's resident memory is sampled meanwhile: streamed page by page, it stays flat.
 */
const ROWS = 400_000
const METRICS_TOKEN = 'metrics-token-export-0123456789abcdef'
const QUIRKY = ['comma, inside', 'a "quoted" word', 'two\nlines and 中文：模型错误']
const admin = { authorization: `Bearer ${ADMIN_KEY}` }

let mock: MockUpstream
let server: RunningServer

async function seedQuirky(dbPath: string): Promise<void> {
  const inst = await DuckDBInstance.create(dbPath)
  const conn = await inst.connect()
  try {
    for (const [i, msg] of QUIRKY.entries())
      await conn.run(
        `INSERT INTO request_log (ts, request_id, client_key, dialect, model, status, error_kind, error_message, latency_ms, stream, cache_hit)
         VALUES (now()::TIMESTAMP - INTERVAL ${i + 1} MINUTE, $1, 'quirky', 'openai-chat', '模型-x', 502, 'upstream_error', $2, 10, false, false)`,
        [`req_quirky_${i}`, msg],
      )
    await conn.run('CHECKPOINT')
  } finally {
    conn.closeSync()
    inst.closeSync()
  }
}

async function seedQuirkyPostgres(dir: string): Promise<void> {
  await onDatabase(dir, async (c) => {
    for (const [i, msg] of QUIRKY.entries())
      await c.query(
        `INSERT INTO request_log (ts, request_id, client_key, dialect, model, status, error_kind, error_message, latency_ms, stream, cache_hit)
         VALUES ((now() AT TIME ZONE 'UTC') - INTERVAL '${i + 1} minutes', $1, 'quirky', 'openai-chat', '模型-x', 502, 'upstream_error', $2, 10, false, false)`,
        [`req_quirky_${i}`, msg],
      )
  })
}

beforeAll(async () => {
  mock = await startMockUpstream()
  const config = mockConfigYaml(mock.url)
  const first = await startServer({ config })
  await first.stop('SIGTERM', { keepDir: true })
  if (TEST_STORE === 'postgres') {
    await seedRequestLogPostgres(first.dir, ROWS, 1)
    await seedQuirkyPostgres(first.dir)
  } else {
    await seedRequestLog(join(first.dir, 'rosetta.duckdb'), ROWS, 1)
    await seedQuirky(join(first.dir, 'rosetta.duckdb'))
  }
  server = await startServer({ config, dir: first.dir, env: { NUXT_METRICS_TOKEN: METRICS_TOKEN } })
}, 180_000)
afterAll(async () => {
  await server?.stop()
  await mock?.close()
})

const exportUrl = (q: Record<string, string>) => `${server.url}/v1/admin/logs/export?${new URLSearchParams(q).toString()}`

/** The server's resident memory and the JavaScript heap in use, from its own /metrics. */
async function memory(): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text()
  const read = (name: string) => {
    const m = new RegExp(`^${name} (\\d+)`, 'm').exec(text)
    if (!m) throw new Error(`no ${name} in /metrics`)
    return Number(m[1])
  }
  return { rss: read('process_resident_memory_bytes'), heap: read('nodejs_heap_size_used_bytes') }
}

async function logTotal(input: Record<string, unknown>): Promise<number> {
  const r = await fetch(`${server.url}/api/trpc/logs.list?input=${encodeURIComponent(JSON.stringify({ ...input, limit: 1 }))}`, { headers: admin })
  return ((await r.json()) as { result: { data: { total: number } } }).result.data.total
}

describe('request log export', () => {
  it('needs an admin credential and says what is wrong with a bad query', async () => {
    expect((await fetch(exportUrl({ since: '1h' }))).status).toBe(401)
    expect((await fetch(exportUrl({ since: '1h' }), { headers: { authorization: `Bearer ${CLIENT_KEY}` } })).status).toBe(401)
    const bad = await fetch(exportUrl({ format: 'xlsx' }), { headers: admin })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('csv, jsonl')
    const badRange = await fetch(exportUrl({ since: 'yesterday' }), { headers: admin })
    expect(badRange.status).toBe(400)
    expect(((await badRange.json()) as { error: { message: string } }).error.message).toContain('since')
  })

  it('streams 100k filtered rows as JSON lines, holding back while the client does not read', async () => {
    const before = await memory()
    const r = await fetch(exportUrl({ format: 'jsonl', since: '2d', client_key: 'ci' }), { headers: admin })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toContain('application/x-ndjson')
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="rosetta-log-\d{8}-\d{4}\.jsonl"$/)
    // Streamed: no length known up front.
    expect(r.headers.get('content-length')).toBeNull()
    const reader = r.body!.getReader()
    const dec = new TextDecoder()
    let rows = 0
    let bytes = 0
    let rest = ''
    let lastTs = '9999'
    let ordered = true
    const take = (chunk: Uint8Array) => {
      bytes += chunk.byteLength
      const lines = (rest + dec.decode(chunk, { stream: true })).split('\n')
      rest = lines.pop()!
      for (const l of lines) {
        const o = JSON.parse(l) as { client_key: string; ts: string }
        if (o.client_key !== 'ci') throw new Error(`a row of ${o.client_key} in a client_key=ci export`)
        if (o.ts > lastTs) ordered = false
        lastTs = o.ts
        rows++
      }
    }
    const first = await reader.read()
    take(first.value!)
    // The client stops reading for 4 s. An export built in memory (or written without waiting for
    // the socket) would now hold all ~60 MB of it; a streamed one waits with a page or two. The
    // heap in use counts garbage too, hence a bound well above one page but well below the export.
    let pausedPeak = before.heap
    for (let i = 0; i < 20; i++) {
      await new Promise((res) => setTimeout(res, 200))
      pausedPeak = Math.max(pausedPeak, (await memory()).heap)
    }
    for (;;) {
      const c = await reader.read()
      if (c.done) break
      take(c.value)
    }
    expect(rest).toBe('')
    expect(rows).toBe(ROWS / 4)
    expect(ordered).toBe(true)
    const mb = (n: number) => (n / 1048576).toFixed(1)
    console.log(`export: ${rows} rows, ${mb(bytes)} MB; server JS heap ${mb(before.heap)} MB before, ${mb(pausedPeak)} MB at most while the client paused`)
    // Measured: ~20 MB of growth (a page or two, its row objects and garbage not yet collected);
    // the export held in memory would be its ~60 MB of text alone, more as row objects.
    expect(pausedPeak - before.heap).toBeLessThan(40 * 1048576)
    expect(bytes).toBeGreaterThan(40 * 1048576)
  }, 120_000)

  it('exports exactly the rows the log lists for a custom from/to range and status', async () => {
    const to = new Date(Date.now() - 6 * 3_600_000)
    const from = new Date(to.getTime() - 2 * 3_600_000)
    const expected = await logTotal({ from: from.toISOString(), to: to.toISOString(), status: 'error', clientKey: 'web' })
    expect(expected).toBeGreaterThan(10)
    const r = await fetch(exportUrl({ format: 'csv', from: from.toISOString(), to: to.toISOString(), status: 'error', client_key: 'web' }), { headers: admin })
    const text = await r.text()
    const lines = text.trimEnd().split('\r\n')
    expect(lines.length - 1).toBe(expected)
    for (const l of lines.slice(1)) {
      const ts = Date.parse(l.slice(0, l.indexOf(',')))
      expect(ts).toBeGreaterThanOrEqual(from.getTime())
      expect(ts).toBeLessThan(to.getTime())
    }
  })

  it('quotes commas, quotes and newlines and keeps CJK intact in CSV', async () => {
    const r = await fetch(exportUrl({ format: 'csv', since: '1h', client_key: 'quirky' }), { headers: admin })
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const raw = Buffer.from(await r.arrayBuffer())
    // The UTF-8 byte-order mark first (fetch's text() would drop it), then the header.
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = raw.subarray(3).toString('utf8')
    expect(text.startsWith('ts,request_id,client_key,')).toBe(true)
    // Newest first: quirky_0 is a minute old, quirky_2 three minutes.
    expect(text).toContain(',req_quirky_0,quirky,openai-chat,,模型-x,')
    expect(text).toContain(',"comma, inside",')
    expect(text).toContain(',"a ""quoted"" word",')
    expect(text).toContain(',"two\nlines and 中文：模型错误",')
    expect(text.trimEnd().split('\r\n')).toHaveLength(1 + QUIRKY.length)
    const jsonl = await (await fetch(exportUrl({ format: 'jsonl', since: '1h', client_key: 'quirky' }), { headers: admin })).text()
    expect(jsonl.trimEnd().split('\n').map((l) => (JSON.parse(l) as { error_message: string }).error_message)).toEqual(QUIRKY)
  })
})
