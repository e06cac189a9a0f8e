import type { SqlValue } from './sql-db'
import type { LogReader } from './reader'
import { num, numOrNull } from './reader'
import { resolveRange, whereClause, type Range } from './log-filter-sql'
import type { LogFilter, StatsDimension } from '../../../shared/schemas/request-log'
import { rollupGroups, rollupPlan, type RollupPlan } from './postgres/pg-rollup-stats'
import { isoOf } from './admin-tokens-repo'

/** The numbers every view shows, for the whole range, one bucket, or one group. */
export interface StatsRow {
  requests: number
  errors: number
  errors4xx: number
  errors5xx: number
  /** Streams that broke off after their first byte (status 200, error reported in-band). */
  errorsInBand: number
  errorRate: number
  inputTokens: number
  outputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
  reasoningTokens: number
  costUsd: number
  /** Requests that used tokens but have no cost (their model has no price): their cost is unknown, not $0. */
  unpriced: number
  latencyMs: { p50: number | null; p95: number | null; p99: number | null }
  ttftMs: { p50: number | null; p95: number | null }
}

const COUNTS = `count(*) AS requests,
  count(*) FILTER (WHERE (error_kind IS NOT NULL OR status >= 400) AND error_kind IS DISTINCT FROM 'cancelled') AS errors,
  count(*) FILTER (WHERE status BETWEEN 400 AND 499 AND error_kind IS DISTINCT FROM 'cancelled') AS e4,
  count(*) FILTER (WHERE status >= 500) AS e5,
  count(*) FILTER (WHERE status < 400 AND error_kind IS NOT NULL) AS eib,
  sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
  sum(cache_read_tokens) AS cache_read_tokens, sum(cache_write_tokens) AS cache_write_tokens,
  sum(reasoning_tokens) AS reasoning_tokens, sum(cost_usd) AS cost_usd,
  count(*) FILTER (WHERE cost_usd IS NULL AND (input_tokens > 0 OR output_tokens > 0)) AS unpriced`
const AGGREGATES = `${COUNTS},
  quantile_cont(latency_ms, [0.5, 0.95, 0.99]) AS lat,
  quantile_cont(ttfb_ms, [0.5, 0.95]) AS ttft`
/** PostgreSQL's exact percentiles (an ordered-set aggregate; NULLs are skipped as in DuckDB). */
const PG_AGGREGATES = `${COUNTS},
  percentile_cont(ARRAY[0.5, 0.95, 0.99]::float8[]) WITHIN GROUP (ORDER BY latency_ms) AS lat,
  percentile_cont(ARRAY[0.5, 0.95]::float8[]) WITHIN GROUP (ORDER BY ttfb_ms) AS ttft`
/**
 * Exact percentiles cost a sort of every matching row (~0.2 s per million on 2 cores, more when
 * grouped); above this many rows they are estimated from a uniform reservoir sample instead: per
 * group, so a group smaller than its sample is still exact, and p99 of a latency distribution stays
 * within a fraction of a percent (bench/log-bench.mjs measures both).
 */
export const EXACT_QUANTILE_ROWS = 200_000
const sampled = (size: number) => `${COUNTS},
  reservoir_quantile(latency_ms, [0.5, 0.95, 0.99], ${size}) AS lat,
  reservoir_quantile(ttfb_ms, [0.5, 0.95], ${size}) AS ttft`
/** The summary is one group: a larger sample costs little. Series points and breakdown groups: 8k each. */
const SAMPLED_ONE = sampled(65_536)
const SAMPLED_GROUPS = sampled(8_192)

/** How many rows a filter matches: decides exact or sampled percentiles. */
async function matching(db: LogReader, w: { sql: string; params: SqlValue[] }): Promise<number> {
  return num((await db.all<{ n: string }>(`SELECT count(*) AS n FROM request_log WHERE ${w.sql}`, w.params))[0]?.n)
}

/** `rows`: the count when the caller already has it (the dashboard asks four questions of one filter). */
type Known = { rows?: number }

async function exactFor(db: LogReader, w: { sql: string; params: SqlValue[] }, known: Known): Promise<boolean> {
  // PostgreSQL has no reservoir sample aggregate: its percentiles are always exact.
  if (db.engine === 'postgres') return true
  return (known.rows ?? (await matching(db, w))) <= EXACT_QUANTILE_ROWS
}

/** The aggregate list for one query: exact (per engine) or sampled (DuckDB only). */
function aggregates(db: LogReader, exact: boolean, sample: string): string {
  if (db.engine === 'postgres') return PG_AGGREGATES
  return exact ? AGGREGATES : sample
}

/** The rows a filter matches, counted once for several stats calls over it. */
export async function countMatching(db: LogReader, f: LogFilter, now = new Date()): Promise<number> {
  return matching(db, whereClause(f, resolveRange(f, now)))
}

function toStats(r: Record<string, unknown> | undefined): StatsRow {
  const lat = (r?.lat as Array<number | null> | null) ?? []
  const ttft = (r?.ttft as Array<number | null> | null) ?? []
  const requests = num(r?.requests)
  const errors = num(r?.errors)
  const round = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 10) / 10)
  return {
    requests,
    errors,
    errors4xx: num(r?.e4),
    errors5xx: num(r?.e5),
    errorsInBand: num(r?.eib),
    errorRate: requests ? errors / requests : 0,
    inputTokens: num(r?.input_tokens),
    outputTokens: num(r?.output_tokens),
    cacheReadTokens: num(r?.cache_read_tokens),
    cacheWriteTokens: num(r?.cache_write_tokens),
    reasoningTokens: num(r?.reasoning_tokens),
    costUsd: Math.round(num(r?.cost_usd) * 1e6) / 1e6,
    unpriced: num(r?.unpriced),
    latencyMs: { p50: round(lat[0]), p95: round(lat[1]), p99: round(lat[2]) },
    ttftMs: { p50: round(ttft[0]), p95: round(ttft[1]) },
  }
}

export async function statsSummary(db: LogReader, f: LogFilter & Known, now = new Date()): Promise<{ range: Range; totals: StatsRow; exactPercentiles: boolean }> {
  const range = resolveRange(f, now)
  const w = whereClause(f, range)
  // PostgreSQL over many rows: closed minutes from the rollups, the rest raw (percentiles from histograms).
  const plan = await rollupPlan(db, f, range, EXACT_QUANTILE_ROWS)
  if (plan) return { range, totals: toStats((await rollupGroups(db, f, range, plan, { kind: 'all' }))[0]?.rec), exactPercentiles: false }
  const exact = await exactFor(db, w, f)
  const rows = await db.all(`SELECT ${aggregates(db, exact, SAMPLED_ONE)} FROM request_log WHERE ${w.sql}`, w.params)
  return { range, totals: toStats(rows[0]), exactPercentiles: exact }
}

/** Bucket widths offered, smallest first: the smallest giving at most ~200 points is used. */
const BUCKETS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 86_400]

export function autoBucket(range: Range): number {
  const span = (range.to.getTime() - range.from.getTime()) / 1000
  return BUCKETS.find((b) => span / b <= 200) ?? 86_400
}

export async function statsSeries(db: LogReader, f: LogFilter & Known & { bucketSeconds?: number }, now = new Date()) {
  const range = resolveRange(f, now)
  const bucketSeconds = f.bucketSeconds ?? autoBucket(range)
  const w = whereClause(f, range)
  const plan = await rollupPlan(db, f, range, EXACT_QUANTILE_ROWS)
  if (plan) {
    const groups = await rollupGroups(db, f, range, plan, { kind: 'bucket', seconds: bucketSeconds })
    const points = groups.map((g) => ({ t: isoOf(g.g!).replace(/\.\d+Z$/, 'Z'), ...toStats(g.rec) })).sort((a, b) => a.t.localeCompare(b.t))
    return { range, bucketSeconds, exactPercentiles: false, points }
  }
  const exact = await exactFor(db, w, f)
  // Group on the bucket's timestamp and format only the ~200 results: formatting inside the GROUP BY
  // key formatted every row (a third of the 30-day query's time). Buckets divide a day, so DuckDB's
  // time_bucket and PostgreSQL's date_bin from the epoch draw the same boundaries.
  const sql =
    db.engine === 'postgres'
      ? `SELECT to_char(b, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS t, g.* FROM (
           SELECT date_bin(INTERVAL '${bucketSeconds} seconds', ts, TIMESTAMP '1970-01-01') AS b, ${PG_AGGREGATES}
           FROM request_log WHERE ${w.sql} GROUP BY 1
         ) g ORDER BY b`
      : `SELECT strftime(b, '%Y-%m-%dT%H:%M:%SZ') AS t, * EXCLUDE (b) FROM (
           SELECT time_bucket(INTERVAL '${bucketSeconds} seconds', ts) AS b, ${exact ? AGGREGATES : SAMPLED_GROUPS}
           FROM request_log WHERE ${w.sql} GROUP BY 1
         ) ORDER BY b`
  const rows = await db.all(sql, w.params)
  return { range, bucketSeconds, exactPercentiles: exact, points: rows.map((r) => ({ t: r.t as string, ...toStats(r) })) }
}

const DIMENSION_SQL: Record<StatsDimension, string> = {
  model: 'model',
  provider: 'provider_id',
  key: 'key_id',
  client_key: 'client_key',
  upstream_model: 'upstream_model',
  dialect: 'dialect',
}

/** Grouped by one dimension, busiest first. A `key` group also names the provider and the masked hint. */
export async function statsBreakdown(db: LogReader, f: LogFilter & Known & { by: StatsDimension; limit?: number }, now = new Date()) {
  const range = resolveRange(f, now)
  const w = whereClause(f, range)
  const col = DIMENSION_SQL[f.by]
  const plan = await rollupPlan(db, f, range, EXACT_QUANTILE_ROWS)
  const exact = plan ? false : await exactFor(db, w, f)
  const rows = plan
    ? (await rollupGroups(db, f, range, plan, { kind: 'dim', col, withProvider: f.by === 'key' }))
        .map((g): Record<string, unknown> => ({ ...g.rec, k: g.g, provider: g.provider }))
        .sort((a, b) => Number(b.requests) - Number(a.requests))
        .slice(0, f.limit ?? 50)
    : await db.all(
        `SELECT ${col} AS k, ${f.by === 'key' ? 'min(provider_id) AS provider,' : ''} ${aggregates(db, exact, SAMPLED_GROUPS)}
         FROM request_log WHERE ${w.sql} GROUP BY 1 ORDER BY requests DESC LIMIT ${f.limit ?? 50}`,
        w.params,
      )
  let hints = new Map<number, string>()
  if (f.by === 'key' && rows.length) {
    const ks = await db.all<{ id: number; key_hint: string }>('SELECT id, key_hint FROM provider_keys')
    hints = new Map(ks.map((k) => [Number(k.id), k.key_hint]))
  }
  return {
    range,
    by: f.by,
    exactPercentiles: exact,
    groups: rows.map((r) => ({
      key: f.by === 'key' ? numOrNull(r.k) : ((r.k as string | null) ?? null),
      ...(f.by === 'key' ? { provider: (r.provider as string | null) ?? null, hint: hints.get(num(r.k)) ?? null } : {}),
      ...toStats(r),
    })),
  }
}

/** One point of a stacked chart: a bucket's requests, tokens and cost for one key (null: "other"). */
interface StackedPoint {
  t: string
  key: string | null
  requests: number
  tokens: number
  costUsd: number
}

/**
 * Requests, tokens and cost per bucket for each of the `top` busiest models (or providers) of the
 * range; every other group is summed under `key: null` ("other"). One scan for the ranking, one
 * for the buckets: the dashboard's stacked charts. PostgreSQL over many rows: from the rollups
 * (stackedFromRollups), with the same answer.
 */
export async function statsStacked(db: LogReader, f: LogFilter & { bucketSeconds?: number; by: 'model' | 'provider'; top?: number }, now = new Date()) {
  const range = resolveRange(f, now)
  const bucketSeconds = f.bucketSeconds ?? autoBucket(range)
  const w = whereClause(f, range)
  const col = DIMENSION_SQL[f.by]
  const plan = await rollupPlan(db, f, range, EXACT_QUANTILE_ROWS)
  if (plan) return { range, bucketSeconds, by: f.by, ...(await stackedFromRollups(db, f, range, plan, bucketSeconds, col, f.top ?? 6)) }
  const top = await db.all<{ k: string }>(
    `SELECT ${col} AS k FROM request_log WHERE ${w.sql} AND ${col} IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ${f.top ?? 6}`,
    w.params,
  )
  const keys = top.map((r) => r.k)
  const params = [...w.params, ...keys]
  const inTop = keys.length ? `${col} IN (${keys.map((_, i) => `$${w.params.length + i + 1}`).join(', ')})` : 'false'
  const rows = await db.all(
    // The same buckets on both engines (see statsSeries): DuckDB's time_bucket, PostgreSQL's date_bin from the epoch.
    `SELECT ${db.engine === 'postgres' ? `to_char(b, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')` : `strftime(b, '%Y-%m-%dT%H:%M:%SZ')`} AS t, k, requests, tokens, cost_usd FROM (
       SELECT ${db.engine === 'postgres' ? `date_bin(INTERVAL '${bucketSeconds} seconds', ts, TIMESTAMP '1970-01-01')` : `time_bucket(INTERVAL '${bucketSeconds} seconds', ts)`} AS b,
         CASE WHEN ${inTop} THEN ${col} END AS k,
         count(*) AS requests, sum(coalesce(input_tokens, 0) + coalesce(output_tokens, 0)) AS tokens, sum(cost_usd) AS cost_usd
       FROM request_log WHERE ${w.sql} GROUP BY 1, 2
     ) AS buckets ORDER BY b, k NULLS LAST`,
    params,
  )
  return {
    range,
    bucketSeconds,
    by: f.by,
    keys,
    points: rows.map((r): StackedPoint => ({ t: r.t as string, key: (r.k as string | null) ?? null, requests: num(r.requests), tokens: num(r.tokens), costUsd: roundCost(num(r.cost_usd)) })),
  }
}

const roundCost = (usd: number) => Math.round(usd * 1e6) / 1e6

/**
 * statsStacked from the rollups: one read of (bucket, value) groups, then the raw path's ranking
 * (most requests first, ties in the database's text order) and folding of the rest into "other".
 * The text order is PostgreSQL's own (its collation need not be JavaScript's): it sorts the values
 * once, and the ranking and the points use its order.
 */
export async function stackedFromRollups(db: LogReader, f: LogFilter, range: Range, plan: RollupPlan, bucketSeconds: number, col: string, top: number): Promise<{ keys: string[]; points: StackedPoint[] }> {
  const groups = await rollupGroups(db, f, range, plan, { kind: 'stack', seconds: bucketSeconds, col })
  const totals = new Map<string, number>()
  for (const g of groups) if (g.d !== null && g.d !== undefined) totals.set(g.d, (totals.get(g.d) ?? 0) + Number(g.rec.requests))
  const values = [...totals.keys()]
  const sorted = values.length ? await db.all<{ k: string }>(`SELECT k FROM (VALUES ${values.map((_, i) => `($${i + 1}::text)`).join(', ')}) AS v(k) ORDER BY k`, values) : []
  const rank = new Map(sorted.map((r, i) => [r.k, i]))
  const keys = values.sort((a, b) => totals.get(b)! - totals.get(a)! || rank.get(a)! - rank.get(b)!).slice(0, top)
  const inTop = new Set(keys)
  const points = new Map<string, StackedPoint>()
  for (const g of groups) {
    const t = isoOf(g.g!).replace(/\.\d+Z$/, 'Z')
    const key = g.d !== null && g.d !== undefined && inTop.has(g.d) ? g.d : null
    const id = JSON.stringify([t, key])
    let p = points.get(id)
    if (!p) points.set(id, (p = { t, key, requests: 0, tokens: 0, costUsd: 0 }))
    p.requests += Number(g.rec.requests)
    p.tokens += Number(g.rec.input_tokens) + Number(g.rec.output_tokens)
    p.costUsd += Number(g.rec.cost_usd)
  }
  // The raw path's order: by bucket, then key (the database's order), "other" last.
  const order = (k: string | null) => (k === null ? Infinity : rank.get(k)!)
  return {
    keys,
    points: [...points.values()]
      .sort((a, b) => a.t.localeCompare(b.t) || order(a.key) - order(b.key))
      .map((p) => ({ ...p, costUsd: roundCost(p.costUsd) })),
  }
}
