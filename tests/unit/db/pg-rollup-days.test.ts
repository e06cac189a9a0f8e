import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PgDatabase } from '../../../server/services/db/postgres/pg-database'
import { PgLogRetention } from '../../../server/services/db/postgres/pg-log-retention'
import { PgReader } from '../../../server/services/db/postgres/pg-reader'
import { RequestLogWriter } from '../../../server/services/log/request-log-writer'
import { rollUp } from '../../../server/services/db/postgres/rollups'
import { rollupGroups, rollupPlan, type Grouping } from '../../../server/services/db/postgres/pg-rollup-stats'
import { statsBreakdown, statsSeries, statsSummary } from '../../../server/services/db/stats-repo'
import { pgAvailable } from '../../support/pg-server'
import { pgServer } from '../../support/store-engines'
import { entry } from '../ops/fakes'

const HOUR = 3_600_000
const DAY = 24 * HOUR
// "Now" in the middle of a minute, four days after midnight: the range below holds whole closed days,
// whole hours around them, loose minutes, and the open minute.
const NOW = Date.parse('2026-06-10T15:42:31Z')
const MODELS = ['m-a', 'm-b', 'm-c']

/**
 * Per-hour and per-day rollups (migration 1004): a stats answer read from days + hours + minutes +
 * raw rows must equal the one counted from the raw rows alone, for every count, sum and breakdown.
 */
describe.skipIf(!pgAvailable && !process.env.CI)('hour and day rollups on PostgreSQL', () => {
  let db: PgDatabase
  let reader: PgReader
  const range = { from: new Date(NOW - 4 * DAY - 17 * 60_000 - 5_000), to: new Date(NOW) }
  const f = { from: range.from, to: range.to }
  beforeAll(async () => {
    db = await PgDatabase.open(await (await pgServer()).createDatabase())
    reader = new PgReader(db)
    const w = new RequestLogWriter(db)
    // 2,400 requests spread over 4 days and 20 minutes up to now, the last ones in the open minute;
    // mixed models, keys, statuses, tokens, prices.
    const n = 2_400
    const span = 4 * DAY + 20 * 60_000
    for (let i = 0; i < n; i++) {
      const ts = NOW - 1 - Math.floor(((n - 1 - i) * span) / n)
      const status = i % 13 === 0 ? 502 : i % 17 === 0 ? 429 : 200
      w.push(
        entry({
          ts: new Date(ts),
          requestId: `d${i}`,
          model: MODELS[i % 3]!,
          keyId: (i % 4) + 1,
          status,
          errorKind: status === 502 ? 'upstream_error' : status === 429 ? 'rate_limited' : i % 29 === 0 ? 'stream_broken' : null,
          latencyMs: 20 + ((i * 37) % 900),
          ttfbMs: 10 + ((i * 11) % 300),
          costUsd: i % 7 === 0 ? null : 0.0005 * ((i % 5) + 1),
          usage: { inputTokens: 10 + (i % 50), outputTokens: 3 + (i % 20) },
        }),
      )
    }
    // Two rows in the open minute (after the last watermark the rollups can have).
    w.push(entry({ ts: new Date(NOW - 1_000), requestId: 'open-1', model: 'm-a', latencyMs: 40 }))
    w.push(entry({ ts: new Date(NOW - 500), requestId: 'open-2', model: 'm-b', status: 500, errorKind: 'upstream_error', latencyMs: 40 }))
    await w.close()
    await rollUp(db, NOW)
  }, 60_000)
  afterAll(async () => {
    await db.close()
  })

  const SUMS = ['requests', 'errors', 'e4', 'e5', 'eib', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'unpriced'] as const
  /** The raw answer, as statsSummary gives it under the rollup threshold, in rollupGroups' names. */
  const rawOf = (s: Awaited<ReturnType<typeof statsSummary>>['totals']) => ({
    requests: s.requests, errors: s.errors, e4: s.errors4xx, e5: s.errors5xx, eib: s.errorsInBand, input_tokens: s.inputTokens, output_tokens: s.outputTokens,
    cache_read_tokens: s.cacheReadTokens, cache_write_tokens: s.cacheWriteTokens, reasoning_tokens: s.reasoningTokens, unpriced: s.unpriced, cost_usd: s.costUsd,
  })
  const pick = (rec: Record<string, unknown>) => ({ ...Object.fromEntries(SUMS.map((k) => [k, rec[k]])), cost_usd: Math.round(Number(rec.cost_usd) * 1e6) / 1e6 })

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
  })

  it('retention deletes the rollups of every minute, hour and day that ended by its cutoff, and keeps the rest', async () => {
    // Keep 2 days: the cutoff is 2026-06-08T15:42:31, inside the day of 06-08 and the hour of 15:00.
    await new PgLogRetention(db, { metadataDays: 2, bodyDays: 2, maxDbMb: 0 }).run(new Date(NOW))
    const first = async (sql: string) => (await db.all<{ t: string }>(sql))[0]!.t
    expect(await first(`SELECT to_char(min(day), 'YYYY-MM-DD') AS t FROM request_stats_day`)).toBe('2026-06-08')
    expect(await first(`SELECT to_char(min(hour), 'YYYY-MM-DD"T"HH24') AS t FROM request_stats_hour`)).toBe('2026-06-08T15')
    expect(await first(`SELECT to_char(min(minute), 'YYYY-MM-DD"T"HH24:MI') AS t FROM request_stats_minute`)).toBe('2026-06-08T15:42')
    expect(await first(`SELECT to_char(min(at), 'YYYY-MM-DD') AS t FROM request_stats_slice WHERE grain = 'day'`)).toBe('2026-06-08')
    expect(await first(`SELECT to_char(min(at), 'YYYY-MM-DD"T"HH24') AS t FROM request_stats_slice WHERE grain = 'hour'`)).toBe('2026-06-08T15')
  })
})
