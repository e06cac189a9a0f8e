import type { PgDatabase } from './pg-database'
import type { SqlDb } from '../sql-db'
import { lockKey } from './pg-database'
import { logger } from '../../../utils/logger'

/**
 * Per-minute rollups of the request log (table request_stats_minute, migration 1002), and from them
 * per-hour and per-day ones (migration 1004), so that the dashboard and GET /v1/admin/stats over 30
 * days read a few thousand rollup rows instead of sorting tens of millions of log rows. The stats read
 * whole days and hours from the coarse tables, the other closed minutes from the minute table, and
 * everything after the watermark (the open minute included) raw (pg-rollup-stats.ts).
 */
const MINUTE = 60_000
/** Minutes before the watermark rolled up again each round: a request logged up to this late still counts. */
export const ROLLUP_REDO_MS = 10 * MINUTE
/** The setting holding the watermark: every minute before it is rolled up (epoch ms). */
export const ROLLUP_WATERMARK = 'stats_rollup_until'
/** Latency and TTFT histograms: bucket b holds [1.1^b, 1.1^(b+1)) ms, so a percentile read from them is within ±5%. */
export const HIST_BASE = 1.1
export const bucketSql = (col: string) => `floor(ln(greatest(${col}, 1)) / ln(${HIST_BASE}))::int`
/** A bucket's representative value (its geometric middle), ms. */
export const bucketValue = (b: number) => HIST_BASE ** (b + 0.5)

/** The dimensions the stats filter and group by, each a column of both tables. */
export const ROLLUP_DIMS = ['model', 'upstream_model', 'provider_id', 'key_id', 'client_key', 'dialect', 'stream', 'status', 'error_kind'] as const

const DIMS = ROLLUP_DIMS.join(', ')
/** The bucket key's position in the inner GROUP BY (after the minute and the dimensions). */
const K = ROLLUP_DIMS.length + 2
/** Rolls up [$1, $2): one row per minute and combination of the dimensions, histograms as jsonb. */
const ROLL_UP = `
INSERT INTO request_stats_minute (minute, ${DIMS}, requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced, hist)
SELECT minute, ${DIMS}, sum(n) FILTER (WHERE k LIKE 'l%'), sum(it), sum(ot), sum(cr), sum(cw), sum(rt), sum(c), sum(up), jsonb_object_agg(k, n)
FROM (
  SELECT date_trunc('minute', ts) AS minute, ${DIMS}, 'l' || ${bucketSql('latency_ms')} AS k, count(*) AS n,
    sum(input_tokens) AS it, sum(output_tokens) AS ot, sum(cache_read_tokens) AS cr, sum(cache_write_tokens) AS cw, sum(reasoning_tokens) AS rt, sum(cost_usd) AS c,
    count(*) FILTER (WHERE cost_usd IS NULL AND (input_tokens > 0 OR output_tokens > 0)) AS up
  FROM request_log WHERE ts >= $1::timestamp AND ts < $2::timestamp GROUP BY 1, ${DIMS}, ${K}
  UNION ALL
  SELECT date_trunc('minute', ts), ${DIMS}, 't' || ${bucketSql('ttfb_ms')}, count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM request_log WHERE ts >= $1::timestamp AND ts < $2::timestamp AND ttfb_ms IS NOT NULL GROUP BY 1, ${DIMS}, ${K}
) x GROUP BY minute, ${DIMS}`

const iso = (ms: number) => new Date(ms).toISOString()

const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/**
 * The coarser rollups (migration 1004): whole UTC hours and days, each built from the minute rollups
 * of its span (so it holds exactly what they hold), so that 30 days read ~1k day rows instead of ~1.4M
 * minute rows. `col` is the table's time column; `watermark` the setting below which every span is
 * rolled up. Finest first after the minutes; a day is built from hours, an hour from minutes.
 * A migration that clears the minute watermark (re-rolling the history) must clear these too.
 */
export const COARSE_LEVELS = [
  { table: 'request_stats_hour', col: 'hour', unit: 'hour', ms: HOUR, watermark: 'stats_rollup_hour_until', from: { table: 'request_stats_minute', col: 'minute' } },
  { table: 'request_stats_day', col: 'day', unit: 'day', ms: DAY, watermark: 'stats_rollup_day_until', from: { table: 'request_stats_hour', col: 'hour' } },
] as const
export type CoarseLevel = (typeof COARSE_LEVELS)[number]

/**
 * Rolls the finer table's rows of [$1, $2) up into whole spans: counts and sums added, histograms
 * merged key by key (the array_agg in the subquery is the outer group's: one merge per group).
 */
const rollUpCoarse = (l: CoarseLevel) => `
INSERT INTO ${l.table} (${l.col}, ${DIMS}, requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced, hist)
SELECT date_trunc('${l.unit}', ${l.from.col}), ${DIMS}, sum(requests), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens),
  sum(reasoning_tokens), sum(cost_usd), sum(unpriced),
  (SELECT jsonb_object_agg(e.key, e.n) FROM (SELECT h.key, sum(h.value::bigint) AS n FROM unnest(array_agg(hist)) AS u(j), jsonb_each_text(u.j) AS h GROUP BY 1) e)
FROM ${l.from.table} WHERE ${l.from.col} >= $1::timestamp AND ${l.from.col} < $2::timestamp
GROUP BY 1, ${DIMS}`

/** The breakdown dimensions a slice is cut by ('' is every request of the span in one row). */
export const SLICE_DIMS = ['', 'model', 'provider_id', 'key_id', 'client_key', 'upstream_model', 'dialect'] as const
export const SLICE_TABLE = 'request_stats_slice'

/** One dimension's slices of a level's rows of [$1, $2): the error counts worked out from status and error_kind. */
const rollUpSlice = (l: CoarseLevel, dim: (typeof SLICE_DIMS)[number]) => `
INSERT INTO ${SLICE_TABLE} (at, grain, dim, value, provider_id, requests, errors, e4, e5, eib, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced, hist)
SELECT ${l.col}, '${l.unit}', '${dim}', ${dim ? `${dim}::text` : 'NULL'}, ${dim === 'key_id' ? 'min(provider_id)' : 'NULL'}, sum(requests),
  coalesce(sum(requests) FILTER (WHERE (error_kind IS NOT NULL OR status >= 400) AND error_kind IS DISTINCT FROM 'cancelled'), 0),
  coalesce(sum(requests) FILTER (WHERE status BETWEEN 400 AND 499 AND error_kind IS DISTINCT FROM 'cancelled'), 0),
  coalesce(sum(requests) FILTER (WHERE status >= 500), 0),
  coalesce(sum(requests) FILTER (WHERE status < 400 AND error_kind IS NOT NULL), 0),
  sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(reasoning_tokens), sum(cost_usd), sum(unpriced),
  (SELECT jsonb_object_agg(e.key, e.n) FROM (SELECT h.key, sum(h.value::bigint) AS n FROM unnest(array_agg(hist)) AS u(j), jsonb_each_text(u.j) AS h GROUP BY 1) e)
FROM ${l.table} WHERE ${l.col} >= $1::timestamp AND ${l.col} < $2::timestamp
GROUP BY 1${dim ? `, ${dim}` : ''}`

/** Rolls a level's spans of [from, to) again from the finer table: the spans, then their slices. */
async function rebuildCoarse(tx: SqlDb, l: CoarseLevel, from: number, to: number): Promise<void> {
  await tx.run(`DELETE FROM ${l.table} WHERE ${l.col} >= $1::timestamp AND ${l.col} < $2::timestamp`, [iso(from), iso(to)])
  await tx.run(rollUpCoarse(l), [iso(from), iso(to)])
  await tx.run(`DELETE FROM ${SLICE_TABLE} WHERE grain = $3 AND at >= $1::timestamp AND at < $2::timestamp`, [iso(from), iso(to), l.unit])
  for (const dim of SLICE_DIMS) await tx.run(rollUpSlice(l, dim), [iso(from), iso(to)])
}

/**
 * Brings one coarse level up to date: every whole span that ends before the minute watermark less
 * ROLLUP_REDO_MS (the minutes the next rounds may still re-roll), so a span once rolled never changes
 * (but for retention: forgetRollups).
 */
async function rollUpLevel(db: PgDatabase, l: CoarseLevel, minuteWatermark: number): Promise<void> {
  const until = Math.floor((minuteWatermark - ROLLUP_REDO_MS) / l.ms) * l.ms
  const [w] = await db.all<{ value: string }>('SELECT value FROM settings WHERE key = $1', [l.watermark])
  let from: number
  if (w) from = Number(w.value)
  else {
    const [first] = await db.all<{ t: string | null }>(`SELECT to_char(min(${l.from.col}), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS t FROM ${l.from.table}`)
    from = first?.t ? Math.floor(Date.parse(first.t) / l.ms) * l.ms : until
  }
  // Chunks of a day's worth of minutes (hours) or a week of hours (days) per transaction.
  const step = l.ms === DAY ? 7 * DAY : DAY
  while (from < until) {
    const to = Math.min(until, from + step)
    await db.transaction(async (tx) => {
      await rebuildCoarse(tx, l, from, to)
      await tx.run('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()', [l.watermark, String(to)])
    })
    from = to
  }
}

/**
 * One round: re-rolls the last ROLLUP_REDO_MS before the watermark and every closed minute after it
 * (a day per transaction while catching up), then moves the watermark to the current minute. One
 * instance at a time (the others find the advisory lock taken and skip). Returns the minutes rolled.
 */
export async function rollUp(db: PgDatabase, now = Date.now()): Promise<number> {
  const client = await db.pool.connect()
  const key = lockKey('stats-rollup')
  try {
    const got = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key])).rows[0]
    if (!got?.ok) return 0
    try {
      const until = Math.floor(now / MINUTE) * MINUTE
      const [w] = await db.all<{ value: string }>('SELECT value FROM settings WHERE key = $1', [ROLLUP_WATERMARK])
      let from: number
      if (w) from = Math.max(0, Number(w.value) - ROLLUP_REDO_MS)
      else {
        const [first] = await db.all<{ t: string | null }>("SELECT to_char(min(ts), 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS t FROM request_log")
        from = first?.t ? Math.floor(Date.parse(first.t) / MINUTE) * MINUTE : until
      }
      let rolled = 0
      do {
        const to = Math.min(until, from + 86_400_000)
        await db.transaction(async (tx) => {
          await tx.run('DELETE FROM request_stats_minute WHERE minute >= $1::timestamp AND minute < $2::timestamp', [iso(from), iso(to)])
          if (to > from) await tx.run(ROLL_UP, [iso(from), iso(to)])
          await tx.run('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()', [ROLLUP_WATERMARK, String(to)])
        })
        rolled += (to - from) / MINUTE
        from = to
      } while (from < until)
      for (const l of COARSE_LEVELS) await rollUpLevel(db, l, until)
      return rolled
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined)
    }
  } finally {
    client.release()
  }
}

/**
 * Retention removed every log row of [from, to) (from 0: everything before `to`), and the rollups
 * follow, so that the stats answer what a count of the log itself would: no request that no longer
 * exists, none counted twice. Every minute, hour and day inside [from, to) goes with its slices; a
 * span a bound cuts (retention's cutoff is any instant: the first day, hour and minute it keeps lose
 * their start) is rolled up again from what is left of it, finest first: the minute from the log,
 * the hour from its minutes, the day from its hours. A span not rolled up yet (past its level's
 * watermark) is the rollup job's. Under the job's lock, so that no round runs meanwhile.
 */
export async function forgetRollups(db: PgDatabase, from: number, to: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey('stats-rollup')])
    const levels = [{ table: 'request_stats_minute', col: 'minute', unit: 'minute', ms: MINUTE, watermark: ROLLUP_WATERMARK }, ...COARSE_LEVELS]
    const ws = await tx.all<{ key: string; value: string }>(`SELECT key, value FROM settings WHERE key IN ($1, $2, $3)`, levels.map((l) => l.watermark))
    const watermarks = new Map(ws.map((w) => [w.key, Number(w.value)]))
    for (const l of levels) {
      const span = `INTERVAL '1 ${l.unit}'`
      // Spans that end by `to` (written so that the time column's index serves).
      await tx.run(`DELETE FROM ${l.table} WHERE ${l.col} >= $1::timestamp AND ${l.col} <= $2::timestamp - ${span}`, [iso(from), iso(to)])
      if (l.unit !== 'minute') await tx.run(`DELETE FROM ${SLICE_TABLE} WHERE grain = $3 AND at >= $1::timestamp AND at <= $2::timestamp - ${span}`, [iso(from), iso(to), l.unit])
      // The spans a bound falls inside of (a bound on a span's start cuts nothing).
      const cut = new Set([from, to].filter((b) => b % l.ms !== 0).map((b) => b - (b % l.ms)))
      for (const start of cut) {
        if (start + l.ms > (watermarks.get(l.watermark) ?? 0)) continue
        if ('from' in l) await rebuildCoarse(tx, l, start, start + l.ms)
        else {
          await tx.run('DELETE FROM request_stats_minute WHERE minute >= $1::timestamp AND minute < $2::timestamp', [iso(start), iso(start + l.ms)])
          await tx.run(ROLL_UP, [iso(start), iso(start + l.ms)])
        }
      }
    }
  })
}

/** Rolls up every minute (and once at start). */
export class RollupJob {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<number> | undefined

  constructor(private readonly db: PgDatabase) {}

  run(now?: number): Promise<number> {
    this.running ??= rollUp(this.db, now).finally(() => (this.running = undefined))
    return this.running
  }

  start(intervalMs = MINUTE): void {
    const tick = () => void this.run().catch((e) => logger.error('stats rollup failed', { error: (e as Error).message }))
    setImmediate(tick)
    this.timer = setInterval(tick, intervalMs)
    this.timer.unref()
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.running?.catch(() => undefined)
  }
}
