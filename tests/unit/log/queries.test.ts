import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../../server/services/db/database'
import type { PgDatabase } from '../../../server/services/db/postgres/pg-database'
import type { LogReader } from '../../../server/services/db/reader'
import { RequestLogWriter } from '../../../server/services/log/request-log-writer'
import { RequestBodyWriter } from '../../../server/services/log/request-body-writer'
import { rowInstance, setRowInstance } from '../../../server/services/log/row-instance'
import { LOG_TOTAL_CAP, getLog, listLogs } from '../../../server/services/db/log-repo'
import { autoBucket, statsBreakdown, statsSeries, statsStacked, statsSummary } from '../../../server/services/db/stats-repo'
import { logListSchema } from '../../../shared/schemas/request-log'
import { entry } from '../ops/fakes'
import { STORE_ENGINES, bodyStoreOf, logReaderOf } from '../../support/store-engines'

const NOW = new Date('2026-06-01T12:00:00Z')
const at = (minAgo: number) => new Date(NOW.getTime() - minAgo * 60_000)

/** The same writers, queries and answers on each engine (PostgreSQL: a throwaway server). */
describe.each(STORE_ENGINES)('request log on $name', (engine) => {
  let db: Database | PgDatabase
  let reader: LogReader

  beforeAll(async () => {
    db = await engine.open()
    reader = await logReaderOf(db)
    // Every row says which instance wrote it: the recent ones node-a, req_old (below) node-b.
    const ownInstance = rowInstance()
    setRowInstance('node-a')
    const w = new RequestLogWriter(db)
    const b = new RequestBodyWriter(bodyStoreOf(db), 64 * 1024)
    // 10 requests over the last 10 minutes: 7 ok (latency 100..700), one 429, one 502, one broken stream.
    for (let i = 0; i < 7; i++)
      w.push(entry({ ts: at(10 - i), requestId: `req_ok${i}`, model: i < 4 ? 'smart' : 'fast', providerId: i < 4 ? 'p1' : 'p2', latencyMs: (i + 1) * 100, ttfbMs: 50, costUsd: 0.01, usage: { inputTokens: 10, outputTokens: 5 } }))
    w.push(entry({ ts: at(3), requestId: 'req_429', status: 429, errorKind: 'rate_limit', errorMessage: 'Too many requests, slow down', errorId: 'req_429', usage: null, keyId: 2 }))
    w.push(entry({ ts: at(2), requestId: 'req_502', status: 502, errorKind: 'upstream_error', errorMessage: 'upstream exploded', errorId: 'req_502', usage: null }))
    const broken = entry({ ts: at(1), requestId: 'req_broken', stream: true, status: 200, errorKind: 'connection', errorMessage: 'upstream broke off', errorId: 'req_broken', sessionId: 'sess-1', attempts: [{ provider: 'p1', model: 'gpt-x', keyId: 1, status: 200, errorKind: 'connection', latencyMs: 12 }] })
    broken.requestBody = { model: 'smart', api_key: 'sk-secret-body-key-0000000000', messages: [{ role: 'user', content: 'hi' }] }
    broken.responseBody = { kind: 'text', text: '{"id":"x","choices":[]}' }
    w.push(broken)
    b.push(broken)
    await w.close()
    await b.close()
    setRowInstance('node-b')
    const old = new RequestLogWriter(db)
    old.push(entry({ ts: at(60 * 48), requestId: 'req_old' })) // outside the default 24 h
    await old.close()
    setRowInstance(ownInstance)
    expect([w.written, w.dropped, b.written, old.written]).toEqual([10, 0, 1, 1])
    // The attempt's key 1, named in the detail by its masked hint and name (the key itself is never stored in the clear).
    await db.run(`INSERT INTO provider_keys (id, provider_id, name, key_cipher, key_hash, key_hint) VALUES (1, 'p1', 'primary', 'cipher', 'hash', 'sk-…wxyz')`)
  }, 30_000)
  afterAll(async () => {
    reader.close()
    await engine.close(db)
  })

  const list = (over: Record<string, unknown> = {}) => listLogs(reader, logListSchema.parse({ to: NOW, from: at(60), ...over }), NOW)

  describe('request log queries', () => {
    it('lists newest first with filters by model, provider, status class, stream, text, request id and session', async () => {
      const all = await list()
      expect(all.total).toBe(10)
      expect(all.items.map((r) => r.requestId).slice(0, 3)).toEqual(['req_broken', 'req_502', 'req_429'])
      expect((await list({ model: 'fast' })).items.map((r) => r.requestId)).toEqual(['req_ok6', 'req_ok5', 'req_ok4'])
      expect((await list({ provider: 'p2' })).total).toBe(3)
      expect((await list({ status: '4xx' })).items.map((r) => r.requestId)).toEqual(['req_429'])
      expect((await list({ status: '5xx' })).items.map((r) => r.requestId)).toEqual(['req_502'])
      expect((await list({ status: 'error' })).total).toBe(3)
      expect((await list({ status: '2xx' })).total).toBe(7)
      expect((await list({ stream: true })).items.map((r) => r.requestId)).toEqual(['req_broken'])
      expect((await list({ search: 'SLOW DOWN' })).items.map((r) => r.requestId)).toEqual(['req_429'])
      expect((await list({ search: '100%' })).total).toBe(0)
      expect((await list({ requestId: 'req_ok3' })).items[0]?.latencyMs).toBe(400)
      expect((await list({ sessionId: 'sess-1' })).items.map((r) => r.requestId)).toEqual(['req_broken'])
      expect((await listLogs(reader, logListSchema.parse({ to: NOW, since: '7d' }), NOW)).total).toBe(11)
    })

    it('counts total up to LOG_TOTAL_CAP: exact below it, the cap and totalExact false above it', async () => {
      expect((await list()).totalExact).toBe(true)
      // 10,001 rows on one day 20 days back (outside every other case's range), every other one model `odd`.
      const base = new Date(NOW.getTime() - 20 * 86_400_000)
      await db.run(
        `INSERT INTO request_log (ts, request_id, dialect, model, stream, status, latency_ms)
         SELECT CAST($1 AS TIMESTAMP) + i * INTERVAL '1 second', 'bulk' || CAST(i AS VARCHAR), 'openai', CASE WHEN i % 2 = 0 THEN 'even' ELSE 'odd' END, false, 200, 5
         FROM generate_series(1, ${LOG_TOTAL_CAP + 1}) AS g(i)`,
        [base.toISOString()],
      )
      const day = { from: base, to: new Date(base.getTime() + 86_400_000), limit: 5 }
      const all = await listLogs(reader, logListSchema.parse(day), NOW)
      expect({ total: all.total, totalExact: all.totalExact, items: all.items.length }).toEqual({ total: LOG_TOTAL_CAP, totalExact: false, items: 5 })
      expect(all.items[0]!.requestId).toBe(`bulk${LOG_TOTAL_CAP + 1}`)
      const odd = await listLogs(reader, logListSchema.parse({ ...day, model: 'odd' }), NOW)
      expect({ total: odd.total, totalExact: odd.totalExact }).toEqual({ total: (LOG_TOTAL_CAP + 2) / 2, totalExact: true })
      await db.run("DELETE FROM request_log WHERE request_id LIKE 'bulk%'")
    })

    it('shows on every row the instance that wrote it, and filters on it', async () => {
      const recent = await list()
      expect(new Set(recent.items.map((r) => r.instance))).toEqual(new Set(['node-a']))
      expect((await list({ instance: 'node-a' })).total).toBe(10)
      const week = (instance: string) => listLogs(reader, logListSchema.parse({ to: NOW, since: '7d', instance }), NOW)
      expect((await week('node-b')).items.map((r) => [r.requestId, r.instance])).toEqual([['req_old', 'node-b']])
      expect((await week('node-c')).total).toBe(0)
    })

    it('pages with a cursor without repeating or skipping rows', async () => {
      const seen: string[] = []
      let cursor: string | undefined
      for (;;) {
        const page = await list({ limit: 3, cursor })
        seen.push(...page.items.map((r) => r.requestId))
        if (!page.nextCursor) break
        cursor = page.nextCursor
      }
      expect(seen.length).toBe(10)
      expect(new Set(seen).size).toBe(10)
    })

    it('returns one request in full, with attempts and its redacted bodies', async () => {
      const d = await getLog(reader, 'req_broken')
      expect(d?.errorId).toBe('req_broken')
      expect(d?.attempts).toEqual([{ provider: 'p1', model: 'gpt-x', keyId: 1, keyHint: 'sk-…wxyz', keyName: 'primary', status: 200, errorKind: 'connection', latencyMs: 12 }])
      expect(d?.bodies?.request).toEqual({ model: 'smart', api_key: '[redacted]', messages: [{ role: 'user', content: 'hi' }] })
      expect(d?.bodies?.response).toEqual({ id: 'x', choices: [] })
      expect(await getLog(reader, 'req_nope')).toBeNull()
    })

    it('summarises counts, error classes, latency percentiles, TTFT, tokens and cost', async () => {
      const { totals } = await statsSummary(reader, { from: at(60), to: NOW }, NOW)
      expect(totals.requests).toBe(10)
      expect(totals.errors).toBe(3)
      expect([totals.errors4xx, totals.errors5xx, totals.errorsInBand]).toEqual([1, 1, 1])
      expect(totals.errorRate).toBeCloseTo(0.3, 9)
      expect(totals.inputTokens).toBe(7 * 10 + 10) // the broken stream keeps the fake's default usage
      expect(totals.costUsd).toBeCloseTo(0.07, 9)
      // The broken stream used tokens but has no cost (no price): counted apart, not as $0. The 429/502 used none.
      expect(totals.unpriced).toBe(1)
      expect(totals.ttftMs.p50).toBe(50)
      // Latencies: 100..700 and three at 120 (the fake's default).
      expect(totals.latencyMs.p50).toBe(250) // sorted: 100 120 120 120 200 | 300 400 500 600 700
      expect(totals.latencyMs.p99).toBeCloseTo(691, 0)
    })

    it('breaks down by model, provider and key, and buckets a series by the range', async () => {
      const by = await statsBreakdown(reader, { from: at(60), to: NOW, by: 'model' }, NOW)
      expect(by.groups.map((g) => [g.key, g.requests, g.errors])).toEqual([
        ['smart', 7, 3],
        ['fast', 3, 0],
      ])
      const keys = await statsBreakdown(reader, { from: at(60), to: NOW, by: 'key' }, NOW)
      expect(keys.groups.map((g) => [g.key, g.requests])).toEqual([
        [1, 9],
        [2, 1],
      ])
      const s = await statsSeries(reader, { from: at(60), to: NOW }, NOW)
      expect(s.bucketSeconds).toBe(60)
      expect(s.points.reduce((n, p) => n + p.requests, 0)).toBe(10)
      expect(autoBucket({ from: at(24 * 60), to: NOW })).toBe(900)
      expect(autoBucket({ from: at(30 * 24 * 60), to: NOW })).toBe(6 * 3600)
    })

    it('stacks a series by the busiest models, the rest summed as one group', async () => {
      const s = await statsStacked(reader, { from: at(60), to: NOW, by: 'model', top: 1 }, NOW)
      expect(s.keys).toEqual(['smart'])
      expect(s.bucketSeconds).toBe(60)
      const sum = (key: string | null, f: 'requests' | 'tokens' | 'costUsd') => s.points.filter((p) => p.key === key).reduce((n, p) => n + p[f], 0)
      expect([sum('smart', 'requests'), sum(null, 'requests')]).toEqual([7, 3])
      // smart: four answered requests and the broken stream at 15 tokens each, the 429 and 502 none.
      expect([sum('smart', 'tokens'), sum(null, 'tokens')]).toEqual([75, 45])
      expect(sum('smart', 'costUsd')).toBeCloseTo(0.04, 9)
      expect(sum(null, 'costUsd')).toBeCloseTo(0.03, 9)
      const both = await statsStacked(reader, { from: at(60), to: NOW, by: 'provider' }, NOW)
      expect(both.keys).toEqual(['p1', 'p2'])
      expect(both.points.some((p) => p.key === null)).toBe(false)
      expect((await statsStacked(reader, { from: at(60), to: NOW, by: 'model', model: 'nothing-like-it' }, NOW)).points).toEqual([])
    })
  })
})
