import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PgDatabase } from '../../../server/services/db/postgres/pg-database'
import { PartitionKeeper, dayOf, ensureDayPartition, listDayPartitions } from '../../../server/services/db/postgres/partitions'
import { PgLogRetention } from '../../../server/services/db/postgres/pg-log-retention'
import { PgReader } from '../../../server/services/db/postgres/pg-reader'
import { RequestLogWriter } from '../../../server/services/log/request-log-writer'
import { RequestBodyWriter } from '../../../server/services/log/request-body-writer'
import { getLog } from '../../../server/services/db/log-repo'
import { rollUp } from '../../../server/services/db/postgres/rollups'
import { rollupGroups, rollupPlan } from '../../../server/services/db/postgres/pg-rollup-stats'
import { statsSummary } from '../../../server/services/db/stats-repo'
import { pgAvailable } from '../../support/pg-server'
import { pgServer } from '../../support/store-engines'
import { entry } from '../ops/fakes'

const NOW = new Date('2026-06-01T12:00:00Z')
const DAY = 86_400_000
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY)

/** The request log's PostgreSQL side: day partitions, retention by dropping them, the batch writer's edge cases. */
describe.skipIf(!pgAvailable && !process.env.CI)('request log on PostgreSQL', () => {
  let db: PgDatabase
  beforeAll(async () => {
    db = await PgDatabase.open(await (await pgServer()).createDatabase())
  }, 30_000)
  afterAll(async () => {
    await db.close()
  })

  const count = async (table: string) => Number((await db.all<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n)

  it('rows land in their day partition; a day created later takes its rows out of the default partition', async () => {
    expect(await new PartitionKeeper(db, 2).ensure(NOW.getTime())).toBe(6) // today + 2 days, both tables
    expect(await new PartitionKeeper(db, 2).ensure(NOW.getTime())).toBe(0)
    const w = new RequestLogWriter(db)
    const b = new RequestBodyWriter(db, 64 * 1024)
    for (const [i, d] of [0, 0.2, 3, 3.1, 40, 100].entries()) {
      const e = entry({ ts: daysAgo(d), requestId: `r${i}` })
      e.requestBody = { messages: [{ role: 'user', content: `hello ${i}` }] }
      w.push(e)
      b.push(e)
    }
    await w.close()
    await b.close()
    expect([w.written, b.written, w.dropped]).toEqual([6, 6, 0])
    expect(await count(`request_log_p${dayOf(NOW)}`)).toBe(2)
    expect(await count('request_log_default')).toBe(4)
    expect(await ensureDayPartition(db, 'request_log', dayOf(daysAgo(3)))).toBe(true)
    expect(await count(`request_log_p${dayOf(daysAgo(3))}`)).toBe(2)
    expect(await count('request_log_default')).toBe(2)
    expect(await count('request_log')).toBe(6)
    // The moved rows are still found through the parent, with their indexes.
    expect((await getLog(new PgReader(db), 'r2'))?.requestId).toBe('r2')
  })

  it('retention drops whole days, deletes within the boundary day and the default partition, bodies on their own limit', async () => {
    for (const d of [40, 100]) await ensureDayPartition(db, 'request_log', dayOf(daysAgo(d)))
    for (const d of [3, 40, 100]) await ensureDayPartition(db, 'request_bodies', dayOf(daysAgo(d)))
    const r = await new PgLogRetention(db, { metadataDays: 90, bodyDays: 7, maxDbMb: 0 }).run(NOW)
    expect(r).toMatchObject({ metadataDeleted: 1, bodiesDeleted: 2, sizeDeleted: 0 })
    expect((await db.all<{ request_id: string }>('SELECT request_id FROM request_log ORDER BY ts')).map((x) => x.request_id)).toEqual(['r4', 'r3', 'r2', 'r1', 'r0'])
    expect((await db.all<{ request_id: string }>('SELECT request_id FROM request_bodies ORDER BY ts')).map((x) => x.request_id)).toEqual(['r3', 'r2', 'r1', 'r0'])
    const days = (await listDayPartitions(db, 'request_log')).map((p) => p.day)
    expect(days).not.toContain(dayOf(daysAgo(100)))
    expect(days).toContain(dayOf(daysAgo(40)))
    expect((await listDayPartitions(db, 'request_bodies')).map((p) => p.day)).not.toContain(dayOf(daysAgo(40)))
  })

  it('over the size cap the oldest closed days go, bodies first; today stays', async () => {
    const r = await new PgLogRetention(db, { metadataDays: 90, bodyDays: 7, maxDbMb: 1 }).run(NOW)
    expect(r.sizeDeleted).toBeGreaterThan(0)
    const today = NOW.getTime() - (NOW.getTime() % DAY)
    expect((await listDayPartitions(db, 'request_bodies')).filter((p) => p.from < today)).toEqual([])
    expect((await listDayPartitions(db, 'request_log')).filter((p) => p.from < today)).toEqual([])
    expect(await count(`request_log_p${dayOf(NOW)}`)).toBe(2)
  })

  it('text PostgreSQL cannot hold (NUL, lone surrogates) is replaced, not a failed batch', async () => {
    const w = new RequestLogWriter(db)
    w.push(entry({ ts: NOW, requestId: 'nul', errorMessage: 'a\u0000b \\u0000 c\uD800d' }))
    await w.close()
    expect([w.written, w.failedWrites]).toEqual([1, 0])
    const [row] = await db.all<{ m: string }>("SELECT error_message AS m FROM request_log WHERE request_id = 'nul'")
    expect(row!.m).toBe('a\uFFFDb \\u0000 c\uFFFDd')
  })
})

describe.skipIf(!pgAvailable && !process.env.CI)('stats rollups on PostgreSQL', () => {
  let db: PgDatabase
  const T0 = Date.parse('2026-06-01T10:00:00Z')
  beforeAll(async () => {
    db = await PgDatabase.open(await (await pgServer()).createDatabase())
    const w = new RequestLogWriter(db)
    // 600 requests over 60 minutes, latencies 10..6000 ms, every 10th an error, one model per half hour:
    // each minute's 10 requests fall in 2 rollup rows (ok, error), so the rollups compress 5:1.
    for (let i = 0; i < 600; i++)
      w.push(entry({ ts: new Date(T0 + i * 6_000), requestId: `q${i}`, model: i < 300 ? 'm-even' : 'm-odd', latencyMs: 10 * (i + 1), ttfbMs: 5 * (i + 1), status: i % 10 === 0 ? 502 : 200, errorKind: i % 10 === 0 ? 'upstream_error' : null, costUsd: 0.001, usage: { inputTokens: 3, outputTokens: 2 } }))
    await w.close()
  }, 30_000)
  afterAll(async () => {
    await db.close()
  })

  const range = { from: new Date(T0 - 60_000), to: new Date(T0 + 3_600_000) }
  const f = { from: range.from, to: range.to }

  it('rolls up closed minutes; stats from rollups + the raw rest equal the raw counts, percentiles within 5%', async () => {
    // The watermark at 10:40: minutes before it are rolled up, the 20 minutes after it are read raw.
    expect(await rollUp(db, T0 + 40 * 60_000 + 30_000)).toBeGreaterThan(0)
    const n = (await db.all<{ n: string }>('SELECT sum(requests) AS n FROM request_stats_minute'))[0]!.n
    expect(Number(n)).toBe(400)
    const reader = new PgReader(db)
    const plan = await rollupPlan(reader, f, range, 0)
    expect(plan?.until.toISOString()).toBe('2026-06-01T10:40:00.000Z')
    const [all] = await rollupGroups(reader, f, range, plan!, { kind: 'all' })
    const exact = await statsSummary(reader, f, new Date(range.to))
    expect(exact.exactPercentiles).toBe(true) // 600 rows: under the threshold, so raw and exact
    expect(all!.rec).toMatchObject({ requests: 600, errors: 60, e5: 60, input_tokens: 1800, output_tokens: 1200 })
    expect(all!.rec.cost_usd).toBeCloseTo(0.6, 9)
    const lat = all!.rec.lat as number[]
    ;[exact.totals.latencyMs.p50!, exact.totals.latencyMs.p95!, exact.totals.latencyMs.p99!].forEach((v, i) => expect(Math.abs(lat[i]! - v) / v).toBeLessThan(0.05))
    const byModel = await rollupGroups(reader, { ...f }, range, plan!, { kind: 'dim', col: 'model', withProvider: false })
    expect(Object.fromEntries(byModel.map((g) => [g.g, g.rec.requests]))).toEqual({ 'm-odd': 300, 'm-even': 300 })
    const series = await rollupGroups(reader, f, range, plan!, { kind: 'bucket', seconds: 900 })
    expect(series.map((s) => s.rec.requests).reduce((a, b) => Number(a) + Number(b), 0)).toBe(600)
    // Filters the rollups keep apply to both parts.
    const [errs] = await rollupGroups(reader, { ...f, status: 'error' }, range, plan!, { kind: 'all' })
    expect(errs!.rec.requests).toBe(60)
  })

  it('a row logged late for a rolled-up minute counts at the next round; a filter the rollups lack reads raw', async () => {
    const w = new RequestLogWriter(db)
    w.push(entry({ ts: new Date(T0 + 35 * 60_000 + 1_000), requestId: 'late', model: 'm-odd', latencyMs: 50 }))
    await w.close()
    await rollUp(db, T0 + 41 * 60_000)
    const n = (await db.all<{ n: string }>('SELECT sum(requests) AS n FROM request_stats_minute'))[0]!.n
    expect(Number(n)).toBe(411) // 400 + the late one + the 10 requests of 10:40
    expect(await rollupPlan(new PgReader(db), { ...f, search: 'x' }, range, 0)).toBeNull()
    expect(await rollupPlan(new PgReader(db), f, range, 10_000)).toBeNull() // few rows: raw, exact
    // Rollups that do not compress are not read: a filter down to one row per rolled-up minute.
    await db.run("UPDATE request_stats_minute SET requests = 1, hist = '{\"l1\": 1}' WHERE model = 'm-odd'")
    expect(await rollupPlan(new PgReader(db), { ...f, model: 'm-odd' }, range, 0)).toBeNull()
  })
})

describe.skipIf(!pgAvailable && !process.env.CI)('unpriced requests through the rollups (migration 1003)', () => {
  let db: PgDatabase
  const T0 = Date.parse('2026-06-02T10:00:00Z')
  beforeAll(async () => {
    db = await PgDatabase.open(await (await pgServer()).createDatabase())
    const w = new RequestLogWriter(db)
    // 100 requests over 10 minutes: every 4th has tokens but no price (unpriced: 25), every 10th
    // neither tokens nor price (not unpriced: nothing to price), the rest priced.
    for (let i = 0; i < 100; i++) {
      const bare = i % 10 === 5
      w.push(entry({ ts: new Date(T0 + i * 6_000), requestId: `u${i}`, costUsd: i % 4 === 0 || bare ? null : 0.002, usage: bare ? null : { inputTokens: 7, outputTokens: 3 } }))
    }
    await w.close()
  }, 30_000)
  afterAll(async () => {
    await db.close()
  })

  it('counts them in the rolled-up minutes and the raw rest alike, as the raw stats do', async () => {
    // Minutes 10:00–10:05 rolled up, 10:06–10:09 read raw.
    await rollUp(db, T0 + 6 * 60_000 + 1_000)
    const rolled = (await db.all<{ n: string }>('SELECT sum(unpriced) AS n FROM request_stats_minute'))[0]!.n
    expect(Number(rolled)).toBe(15) // i = 0, 4, …, 56
    const reader = new PgReader(db)
    const range = { from: new Date(T0), to: new Date(T0 + 10 * 60_000) }
    const f = { from: range.from, to: range.to }
    const plan = await rollupPlan(reader, f, range, 0)
    expect(plan?.until.toISOString()).toBe('2026-06-02T10:06:00.000Z')
    const [all] = await rollupGroups(reader, f, range, plan!, { kind: 'all' })
    const exact = await statsSummary(reader, f, range.to)
    expect(exact.totals.unpriced).toBe(25)
    expect(all!.rec).toMatchObject({ requests: 100, unpriced: 25 })
  })
})
