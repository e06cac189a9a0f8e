import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PgDatabase } from '../../../server/services/db/postgres/pg-database'
import { PgLogRetention } from '../../../server/services/db/postgres/pg-log-retention'
import type { PgReader } from '../../../server/services/db/postgres/pg-reader'
import { ensureDayPartition } from '../../../server/services/db/postgres/partitions'
import { COARSE_LEVELS, ROLLUP_WATERMARK, SLICE_TABLE } from '../../../server/services/db/postgres/rollups'
import { rollupGroups, rollupPlan, type Grouping } from '../../../server/services/db/postgres/pg-rollup-stats'
import { statsBreakdown, statsSeries, statsSummary } from '../../../server/services/db/stats-repo'
import { pgAvailable } from '../../support/pg-server'
import { MODELS, NOW, RANGE, pick, rawOf, openRolledUpLog } from './rollup-fixture'

/**
 * Per-hour and per-day rollups (migration 1004): a stats answer read from days + hours + minutes +
 * raw rows must equal the one counted from the raw rows alone, for every count, sum and breakdown.
 */
describe.skipIf(!pgAvailable && !process.env.CI)('hour and day rollups on PostgreSQL', () => {
  let db: PgDatabase
  let reader: PgReader
  const range = RANGE
  const f = { from: range.from, to: range.to }
  beforeAll(async () => {
    ;({ db, reader } = await openRolledUpLog())
  }, 60_000)
  afterAll(async () => {
    await db.close()
  })

  /**
   * Every rolled-up minute, hour and day (and each hour's and day's all-requests slice) holds exactly
   * the log rows of its span: compared with a count of the log itself, up to each level's watermark.
   */
  async function expectRollupsMatchLog(): Promise<void> {
    const levels = [{ table: 'request_stats_minute', col: 'minute', unit: 'minute', watermark: ROLLUP_WATERMARK }, ...COARSE_LEVELS]
    for (const l of levels) {
      const [w] = await db.all<{ value: string }>('SELECT value FROM settings WHERE key = $1', [l.watermark])
      const until = new Date(Number(w!.value)).toISOString()
      const t = (col: string) => `to_char(${col}, 'YYYY-MM-DD HH24:MI')`
      const raw = await db.all(`SELECT ${t(`date_trunc('${l.unit}', ts)`)} AS t, count(*)::int AS n FROM request_log WHERE ts < $1::timestamp GROUP BY 1 ORDER BY 1`, [until])
      expect(raw.length, l.table).toBeGreaterThan(0)
      expect(await db.all(`SELECT ${t(l.col)} AS t, sum(requests)::int AS n FROM ${l.table} GROUP BY 1 ORDER BY 1`), l.table).toEqual(raw)
      if (l.unit !== 'minute')
        expect(await db.all(`SELECT ${t('at')} AS t, requests::int AS n FROM ${SLICE_TABLE} WHERE grain = $1 AND dim = '' ORDER BY 1`, [l.unit]), `${l.unit} slices`).toEqual(raw)
    }
  }

  /** The 4-day totals and daily series from the rollups equal the raw answers (the range may reach into deleted time). */
  async function expectStatsMatchLog(): Promise<void> {
    const plan = await rollupPlan(reader, f, range, 0)
    expect(plan).not.toBeNull()
    const [all] = await rollupGroups(reader, f, range, plan!, { kind: 'all' })
    expect(pick(all!.rec)).toEqual(rawOf((await statsSummary(reader, f, range.to)).totals))
    const rawSeries = (await statsSeries(reader, { ...f, bucketSeconds: 86_400 }, range.to)).points
    const rolled = await rollupGroups(reader, f, range, plan!, { kind: 'bucket', seconds: 86_400 })
    const byT = new Map(rolled.map((r) => [new Date(`${r.g!.replace(' ', 'T')}Z`).toISOString().replace('.000Z', 'Z'), pick(r.rec)]))
    expect(byT.size).toBe(rawSeries.length)
    for (const p of rawSeries) expect(byT.get(p.t), p.t).toEqual(rawOf(p))
    const [errs] = await rollupGroups(reader, { ...f, status: 'error' }, range, plan!, { kind: 'all' })
    expect(pick(errs!.rec)).toEqual(rawOf((await statsSummary(reader, { ...f, status: 'error' }, range.to)).totals))
  }

  it('rolls whole closed hours and days, only up to the minute watermark less the redo window', async () => {
    const days = await db.all<{ d: string; n: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS d, sum(requests) AS n FROM request_stats_day GROUP BY 1 ORDER BY 1`)
    expect(days.map((d) => d.d)).toEqual(['2026-06-06', '2026-06-07', '2026-06-08', '2026-06-09'])
    const [h] = await db.all<{ last: string }>(`SELECT to_char(max(hour), 'YYYY-MM-DD"T"HH24') AS last FROM request_stats_hour`)
    // Minute watermark 15:42, less 10 minutes: 15:32, so 14:00–15:00 is the last whole hour.
    expect(h!.last).toBe('2026-06-10T14')
    // Each day has one slice for all requests and one per model.
    const slices = await db.all<{ n: string }>(`SELECT count(*) AS n FROM request_stats_slice WHERE grain = 'day' AND at = '2026-06-07' AND dim IN ('', 'model')`)
    expect(Number(slices[0]!.n)).toBe(1 + MODELS.length)
    // A day holds exactly what its minutes hold.
    const [m] = await db.all<{ n: string }>(`SELECT sum(requests) AS n FROM request_stats_minute WHERE minute >= '2026-06-07' AND minute < '2026-06-08'`)
    expect(days[1]!.n).toBe(m!.n)
  })

  it('a 4-day answer from days + hours + minutes + raw equals the raw answer: totals, breakdowns, daily series', async () => {
    const plan = await rollupPlan(reader, f, range, 0)
    expect(plan).not.toBeNull()
    const raw = await statsSummary(reader, f, range.to) // ~2,400 rows: under the threshold, so raw
    expect(raw.exactPercentiles).toBe(true)
    expect(raw.totals.requests).toBeGreaterThan(2_300) // the first few rows fall before the range
    const [all] = await rollupGroups(reader, f, range, plan!, { kind: 'all' })
    expect(pick(all!.rec)).toEqual(rawOf(raw.totals))
    for (const [by, col] of [['model', 'model'], ['key', 'key_id'], ['provider', 'provider_id']] as const) {
      const rawGroups = (await statsBreakdown(reader, { ...f, by }, range.to)).groups
      const g: Grouping = { kind: 'dim', col, withProvider: false }
      const rolled = new Map((await rollupGroups(reader, f, range, plan!, g)).map((r) => [String(r.g), pick(r.rec)]))
      expect(rolled.size).toBe(rawGroups.length)
      for (const r of rawGroups) expect(rolled.get(String(r.key))).toEqual(rawOf(r))
    }
    // Daily buckets read the day table; 6-hour buckets the hour table: both sum to the raw series.
    for (const seconds of [86_400, 21_600]) {
      const rawSeries = (await statsSeries(reader, { ...f, bucketSeconds: seconds }, range.to)).points
      const rolled = await rollupGroups(reader, f, range, plan!, { kind: 'bucket', seconds })
      expect(rolled.length).toBe(rawSeries.length)
      const byT = new Map(rolled.map((r) => [new Date(`${r.g!.replace(' ', 'T')}Z`).toISOString().replace('.000Z', 'Z'), pick(r.rec)]))
      for (const p of rawSeries) expect(byT.get(p.t)).toEqual(rawOf(p))
    }
    // Filters the rollups keep: read from the full combinations (not the slices), applied to every part.
    const [errs] = await rollupGroups(reader, { ...f, status: 'error' }, range, plan!, { kind: 'all' })
    expect(pick(errs!.rec)).toEqual(rawOf((await statsSummary(reader, { ...f, status: 'error' }, range.to)).totals))
    const rawKey2 = (await statsBreakdown(reader, { ...f, keyId: 2, by: 'model' }, range.to)).groups
    const key2 = new Map((await rollupGroups(reader, { ...f, keyId: 2 }, range, plan!, { kind: 'dim', col: 'model', withProvider: false })).map((r) => [String(r.g), pick(r.rec)]))
    expect(key2.size).toBe(rawKey2.length)
    for (const r of rawKey2) expect(key2.get(String(r.key))).toEqual(rawOf(r))
    // Whole days come from the day rollups (unfiltered: its slices), not their minutes: a change there shows.
    await db.run("UPDATE request_stats_slice SET requests = requests + 1000 WHERE grain = 'day' AND dim = '' AND at = '2026-06-08'")
    const [after] = await rollupGroups(reader, f, range, plan!, { kind: 'all' })
    expect(after!.rec.requests).toBe(Number(all!.rec.requests) + 1000)
    await db.run("UPDATE request_stats_day SET requests = requests + 1000 WHERE day = '2026-06-08' AND status = 502 AND model = 'm-a' AND key_id = 1")
    const [errsAfter] = await rollupGroups(reader, { ...f, status: 'error' }, range, plan!, { kind: 'all' })
    expect(errsAfter!.rec.requests).toBe(Number(errs!.rec.requests) + 1000)
    // Put back: the retention cases below compare the rollups with the log.
    await db.run("UPDATE request_stats_slice SET requests = requests - 1000 WHERE grain = 'day' AND dim = '' AND at = '2026-06-08'")
    await db.run("UPDATE request_stats_day SET requests = requests - 1000 WHERE day = '2026-06-08' AND status = 502 AND model = 'm-a' AND key_id = 1")
  })

  it('retention by age: the rollups of the time before the cutoff go, the minute, hour and day it cuts hold only what is left', async () => {
    await expectRollupsMatchLog()
    // Keep 2 days: the cutoff is 2026-06-08T15:42:31, inside the day of 06-08, its hour 15:00 and minute 15:42.
    const cutoff = '2026-06-08 15:42:31'
    const [before] = await db.all<{ n: number }>(`SELECT count(*)::int AS n FROM request_log WHERE ts >= '2026-06-08' AND ts < $1::timestamp`, [cutoff])
    expect(before!.n).toBeGreaterThan(100) // the day loses these rows, not all of its own
    await new PgLogRetention(db, { metadataDays: 2, bodyDays: 2, maxDbMb: 0 }).run(new Date(NOW))
    const [left] = await db.all<{ n: number }>(`SELECT count(*)::int AS n FROM request_log WHERE ts < $1::timestamp`, [cutoff])
    expect(left!.n).toBe(0)
    const first = async (sql: string) => (await db.all<{ t: string }>(sql))[0]!.t
    expect(await first(`SELECT to_char(min(day), 'YYYY-MM-DD') AS t FROM request_stats_day`)).toBe('2026-06-08')
    expect(await first(`SELECT to_char(min(hour), 'YYYY-MM-DD"T"HH24') AS t FROM request_stats_hour`)).toBe('2026-06-08T15')
    expect(await first(`SELECT to_char(min(at), 'YYYY-MM-DD') AS t FROM request_stats_slice WHERE grain = 'day'`)).toBe('2026-06-08')
    // The day of 06-08 now counts its rows after the cutoff only, as do its hour and minute: the
    // stats over the whole range (deleted time included) equal a count of the log.
    await expectRollupsMatchLog()
    await expectStatsMatchLog()
  })

  it('retention by size: a dropped day takes its rollups along', async () => {
    // The fixture's rows sit in the default partition (its days are in the past); 06-09 gets its own.
    expect(await ensureDayPartition(db, 'request_log', '20260609')).toBe(true)
    const res = await new PgLogRetention(db, { metadataDays: 30, bodyDays: 30, maxDbMb: 1 }).run(new Date(NOW))
    expect(res.sizeDeleted).toBeGreaterThan(500)
    const [gone] = await db.all<{ n: number }>(`SELECT count(*)::int AS n FROM request_log WHERE ts >= '2026-06-09' AND ts < '2026-06-10'`)
    expect(gone!.n).toBe(0)
    const days = await db.all<{ d: string }>(`SELECT DISTINCT to_char(day, 'YYYY-MM-DD') AS d FROM request_stats_day ORDER BY 1`)
    expect(days.map((d) => d.d)).toEqual(['2026-06-08'])
    await expectRollupsMatchLog()
    await expectStatsMatchLog()
  })
})
