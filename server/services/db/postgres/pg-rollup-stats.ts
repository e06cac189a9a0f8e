import type { LogReader } from '../reader'
import type { SqlValue } from '../sql-db'
import { whereClause, type Range } from '../log-filter-sql'
import type { LogFilter } from '../../../../shared/schemas/request-log'
import { COARSE_LEVELS, ROLLUP_WATERMARK, SLICE_DIMS, SLICE_TABLE, bucketSql, bucketValue, type CoarseLevel } from './rollups'

const MINUTE = 60_000

/**
 * How the stats group: one total, time buckets, one dimension (a column of both tables), or time
 * buckets split by one dimension (the dashboard's stacked charts: counts and sums only, no percentiles).
 */
export type Grouping =
  | { kind: 'all' }
  | { kind: 'bucket'; seconds: number }
  | { kind: 'dim'; col: string; withProvider: boolean }
  | { kind: 'stack'; seconds: number; col: string }

/** One group's numbers, in the shape stats-repo's toStats reads (percentiles already worked out). */
export interface GroupRecord {
  /** The group: the bucket (as PostgreSQL's timestamp text) or the dimension's value; 'all' for one total. */
  g: string | null
  /** A stacked grouping's second key: the dimension's value in that bucket. */
  d?: string | null
  provider?: string | null
  rec: Record<string, unknown>
}

/** The whole minutes of a range that the rollups answer for: [from, until), and each coarse level's watermark. */
export interface RollupPlan {
  from: Date
  until: Date
  watermarks: Map<string, number>
}

/** One stretch of a range read from one rollup table (its time column `col`): [from, to). */
interface RollupPart {
  table: string
  col: string
  from: number
  to: number
  /** A coarse level's grain ('hour', 'day'): its slices can answer for it. */
  unit?: string
}

const MINUTE_PART = { table: 'request_stats_minute', col: 'minute' }

/**
 * Splits [from, to) (whole minutes, all rolled up) into the coarsest rollups that cover it: whole
 * days from the day table, whole hours around them from the hour table, the minutes at either end from
 * the minute table. `levels` coarsest first; a level is used only up to its watermark.
 */
function cover(from: number, to: number, levels: readonly CoarseLevel[], watermarks: Map<string, number>): RollupPart[] {
  if (to <= from) return []
  const [l, ...rest] = levels
  if (!l) return [{ ...MINUTE_PART, from, to }]
  const a = Math.ceil(from / l.ms) * l.ms
  const b = Math.min(Math.floor(to / l.ms) * l.ms, watermarks.get(l.watermark) ?? 0)
  if (b <= a) return cover(from, to, rest, watermarks)
  return [...cover(from, a, rest, watermarks), { table: l.table, col: l.col, from: a, to: b, unit: l.unit }, ...cover(b, to, rest, watermarks)]
}

/**
 * The slice dimension that answers a question without the full combinations ('' for one total or a
 * time series, the breakdown's column), or null when a filter needs them.
 */
function sliceDim(f: LogFilter, g: Grouping): string | null {
  if (f.model || f.provider || f.clientKey || f.keyId !== undefined || f.stream !== undefined || f.status) return null
  if (g.kind !== 'dim' && g.kind !== 'stack') return ''
  return (SLICE_DIMS as readonly string[]).includes(g.col) ? g.col : null
}

const SLICE_SUMS = ['requests', 'errors', 'e4', 'e5', 'eib', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_usd', 'unpriced']
  .map((c) => `sum(${c}) AS ${c}`)
  .join(', ')

/** The conditions on the slice table for one coarse part. */
function sliceWhere(part: RollupPart, dim: string): { sql: string; params: SqlValue[] } {
  return { sql: 'grain = $1 AND dim = $2 AND at >= $3::timestamp AND at < $4::timestamp', params: [part.unit!, dim, new Date(part.from).toISOString(), new Date(part.to).toISOString()] }
}

/** The parts a grouping can read: a time bucket only from levels whose spans it is made of. */
function partsOf(plan: RollupPlan, g: Grouping): RollupPart[] {
  const bucketed = g.kind === 'bucket' || g.kind === 'stack'
  const levels = [...COARSE_LEVELS].reverse().filter((l) => !bucketed || (g.seconds * 1000) % l.ms === 0)
  return cover(plan.from.getTime(), plan.until.getTime(), levels, plan.watermarks)
}

/**
 * The counts and sums the stats show; `n` is what one row counts for (1 per log row, `requests` per
 * rollup row), `unpriced` how the requests with tokens but no price are counted (a condition on a log
 * row, a column of a rollup row).
 */
const counts = (n: string, unpriced: string) => `sum(${n}) AS requests,
  sum(${n}) FILTER (WHERE (error_kind IS NOT NULL OR status >= 400) AND error_kind IS DISTINCT FROM 'cancelled') AS errors,
  sum(${n}) FILTER (WHERE status BETWEEN 400 AND 499 AND error_kind IS DISTINCT FROM 'cancelled') AS e4,
  sum(${n}) FILTER (WHERE status >= 500) AS e5,
  sum(${n}) FILTER (WHERE status < 400 AND error_kind IS NOT NULL) AS eib,
  sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cache_read_tokens) AS cache_read_tokens,
  sum(cache_write_tokens) AS cache_write_tokens, sum(reasoning_tokens) AS reasoning_tokens, sum(cost_usd) AS cost_usd,
  ${unpriced} AS unpriced`

const UNPRICED_RAW = 'count(*) FILTER (WHERE cost_usd IS NULL AND (input_tokens > 0 OR output_tokens > 0))'

const SUMMED = ['requests', 'errors', 'e4', 'e5', 'eib', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_usd', 'unpriced'] as const

/**
 * A rollup row must stand for at least this many log rows on average to be worth reading instead of
 * them: with sparse traffic over many dimension combinations a minute holds about one request per
 * combination, and the rollups (with their histograms) are slower to read than the log itself.
 */
export const MIN_ROLLUP_RATIO = 4

/**
 * Whether rollups answer this question: not for filters the rollups do not keep (request id, session, instance,
 * text search), only when the rolled-up part matches more than `minRows` log rows (below that the
 * raw query is fast and its percentiles exact), and only when they compress (MIN_ROLLUP_RATIO).
 */
export async function rollupPlan(db: LogReader, f: LogFilter, range: Range, minRows: number): Promise<RollupPlan | null> {
  if (db.engine !== 'postgres' || f.requestId || f.sessionId || f.search || f.instance) return null
  const keys = [ROLLUP_WATERMARK, ...COARSE_LEVELS.map((l) => l.watermark)]
  const ws = await db.all<{ key: string; value: string }>(`SELECT key, value FROM settings WHERE key IN (${keys.map((_, i) => `$${i + 1}`).join(', ')})`, keys)
  const watermarks = new Map(ws.map((w) => [w.key, Number(w.value)]))
  const w = watermarks.get(ROLLUP_WATERMARK)
  if (w === undefined) return null
  const from = Math.ceil(range.from.getTime() / MINUTE) * MINUTE
  const until = Math.min(Math.floor(range.to.getTime() / MINUTE) * MINUTE, w)
  if (until <= from) return null
  const plan = { from: new Date(from), until: new Date(until), watermarks }
  let requests = 0
  let rows = 0
  const sliced = sliceDim(f, { kind: 'all' })
  for (const part of partsOf(plan, { kind: 'all' })) {
    const slice = part.unit && sliced !== null
    const where = slice ? sliceWhere(part, sliced) : rollupWhere(f, part)
    const [r] = await db.all<{ n: string | null; rows: string }>(`SELECT sum(requests) AS n, count(*) AS rows FROM ${slice ? SLICE_TABLE : part.table} WHERE ${where.sql}`, where.params)
    requests += Number(r?.n ?? 0)
    rows += Number(r?.rows ?? 0)
  }
  return requests > minRows && requests >= rows * MIN_ROLLUP_RATIO ? plan : null
}

/** The filter on a rollup table: the same conditions, on its time column instead of `ts`. */
function rollupWhere(f: LogFilter, part: RollupPart): { sql: string; params: SqlValue[] } {
  const w = whereClause(f, { from: new Date(part.from), to: new Date(part.to) })
  // whereClause starts with `ts >= $1 AND ts < $2`.
  return { sql: w.sql.replace(/^ts >= /, `${part.col} >= `).replace(/ AND ts < /, ` AND ${part.col} < `), params: w.params }
}

function groupSql(g: Grouping, timeCol: string): string {
  if (g.kind === 'all') return "'all'"
  if (g.kind === 'bucket' || g.kind === 'stack') return `date_bin(INTERVAL '${g.seconds} seconds', ${timeCol}, TIMESTAMP '1970-01-01')::text`
  return `${g.col}::text`
}

/** A stacked grouping's second key, the dimension's value (a slice holds it in `value`); NULL for the others. */
function subSql(g: Grouping, slice = false): string {
  if (g.kind !== 'stack') return 'NULL'
  return slice ? `${SLICE_TABLE}.value` : `${g.col}::text`
}

/**
 * Every query's rows, or the first failure once all have settled: Promise.all would return at the
 * first failure and leave the others' rejections unhandled (which can bring the process down).
 */
function rowsOf<T>(settled: Array<PromiseSettledResult<T[]>>): T[][] {
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
  if (failed) throw failed.reason
  return settled.map((s) => (s as PromiseFulfilledResult<T[]>).value)
}

/**
 * The stats per group: rolled-up days, hours and minutes from their tables (partsOf), the rest of the range (the part
 * before the first whole minute, and everything from the watermark on: the open minute) from the log
 * itself; counts summed, histograms merged, percentiles read from the merged histogram.
 */
export async function rollupGroups(db: LogReader, f: LogFilter, range: Range, plan: RollupPlan, g: Grouping): Promise<GroupRecord[]> {
  const provider = g.kind === 'dim' && g.withProvider ? ', min(provider_id) AS provider' : ''
  const queries: Array<Promise<Array<Record<string, unknown>>>> = []
  const hists: Array<Promise<Array<{ g: string | null; k: string; n: string }>>> = []
  // A stacked chart shows no percentiles: its histograms are not read.
  const withHist = g.kind !== 'stack'
  const sliced = sliceDim(f, g)
  for (const part of partsOf(plan, g)) {
    if (part.unit && sliced !== null) {
      // Unfiltered: the hour's or day's slices, a few dozen rows each.
      const sw = sliceWhere(part, sliced)
      const sg = g.kind === 'dim' ? `${SLICE_TABLE}.value` : groupSql(g, 'at')
      const sd = subSql(g, true)
      queries.push(db.all(`SELECT ${sg} AS g, ${sd} AS d, ${SLICE_SUMS}${provider} FROM ${SLICE_TABLE} WHERE ${sw.sql} GROUP BY 1, 2`, sw.params))
      if (withHist) hists.push(db.all(`SELECT ${sg} AS g, h.key AS k, sum(h.value::bigint) AS n FROM ${SLICE_TABLE}, jsonb_each_text(hist) AS h WHERE ${sw.sql} GROUP BY 1, 2`, sw.params))
      continue
    }
    const rw = rollupWhere(f, part)
    const rg = groupSql(g, part.col)
    const rd = subSql(g)
    queries.push(db.all(`SELECT ${rg} AS g, ${rd} AS d, ${counts('requests', 'sum(unpriced)')}${provider} FROM ${part.table} WHERE ${rw.sql} GROUP BY 1, 2`, rw.params))
    if (withHist) hists.push(db.all(`SELECT ${rg} AS g, h.key AS k, sum(h.value::bigint) AS n FROM ${part.table}, jsonb_each_text(hist) AS h WHERE ${rw.sql} GROUP BY 1, 2`, rw.params))
  }
  const raw = [
    { from: range.from, to: plan.from },
    { from: plan.until, to: range.to },
  ].filter((r) => r.to.getTime() > r.from.getTime())
  const tg = groupSql(g, 'ts')
  const td = subSql(g)
  for (const part of raw) {
    const w = whereClause(f, part)
    queries.push(db.all(`SELECT ${tg} AS g, ${td} AS d, ${counts('1', UNPRICED_RAW)}${provider} FROM request_log WHERE ${w.sql} GROUP BY 1, 2`, w.params))
    if (!withHist) continue
    hists.push(
      db.all(
        `SELECT g, k, count(*) AS n FROM (
           SELECT ${tg} AS g, 'l' || ${bucketSql('latency_ms')} AS k FROM request_log WHERE ${w.sql}
           UNION ALL SELECT ${tg}, 't' || ${bucketSql('ttfb_ms')} FROM request_log WHERE ${w.sql} AND ttfb_ms IS NOT NULL
         ) x GROUP BY 1, 2`,
        w.params,
      ),
    )
  }
  // Both lists settle before anything is read or thrown (see rowsOf); allSettled never rejects.
  const [counted, histed] = await Promise.all([Promise.allSettled(queries), Promise.allSettled(hists)])
  const countRows = rowsOf(counted)
  const histRows = rowsOf(histed)
  const groups = new Map<string, { g: string | null; d: string | null; rec: Record<string, number>; provider: string | null; hist: Map<string, number> }>()
  const groupOf = (g: string | null, d: string | null = null) => {
    const k = JSON.stringify([g, d])
    let e = groups.get(k)
    if (!e) groups.set(k, (e = { g, d, rec: Object.fromEntries(SUMMED.map((c) => [c, 0])), provider: null, hist: new Map() }))
    return e
  }
  for (const rows of countRows)
    for (const r of rows) {
      const e = groupOf(r.g as string | null, r.d as string | null)
      for (const c of SUMMED) e.rec[c]! += Number(r[c] ?? 0)
      if (typeof r.provider === 'string') e.provider ??= r.provider
    }
  for (const rows of histRows)
    for (const r of rows) {
      const h = groupOf(r.g).hist
      h.set(r.k, (h.get(r.k) ?? 0) + Number(r.n))
    }
  return [...groups.values()]
    .filter((e) => e.rec.requests! > 0)
    .map((e) => ({
      g: e.g,
      ...(g.kind === 'stack' ? { d: e.d } : {}),
      ...(provider ? { provider: e.provider } : {}),
      rec: { ...e.rec, lat: percentiles(e.hist, 'l', [0.5, 0.95, 0.99]), ttft: percentiles(e.hist, 't', [0.5, 0.95]) },
    }))
}

/** Percentiles from a log-scale histogram (keys `<prefix><bucket>`): each the middle of the bucket the rank falls in. */
export function percentiles(hist: Map<string, number>, prefix: string, ps: number[]): Array<number | null> {
  const buckets = [...hist.entries()]
    .filter(([k]) => k.startsWith(prefix))
    .map(([k, n]) => [Number(k.slice(prefix.length)), n] as const)
    .sort((a, b) => a[0] - b[0])
  const total = buckets.reduce((s, [, n]) => s + n, 0)
  if (total === 0) return ps.map(() => null)
  return ps.map((p) => {
    const rank = Math.max(1, Math.ceil(p * total))
    let seen = 0
    for (const [b, n] of buckets) if ((seen += n) >= rank) return bucketValue(b)
    return bucketValue(buckets[buckets.length - 1]![0])
  })
}
