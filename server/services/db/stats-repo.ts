import type { DuckDBValue } from '@duckdb/node-api'
import type { Reader } from './reader'
import { num, numOrNull } from './reader'
import { resolveRange, whereClause, type Range } from './log-filter-sql'
import type { LogFilter, StatsDimension } from '../../../shared/schemas/request-log'

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
async function matching(db: Reader, w: { sql: string; params: DuckDBValue[] }): Promise<number> {
  return num((await db.all<{ n: string }>(`SELECT count(*) AS n FROM request_log WHERE ${w.sql}`, w.params))[0]?.n)
}

/** `rows`: the count when the caller already has it (the dashboard asks four questions of one filter). */
type Known = { rows?: number }

async function exactFor(db: Reader, w: { sql: string; params: DuckDBValue[] }, known: Known): Promise<boolean> {
  return (known.rows ?? (await matching(db, w))) <= EXACT_QUANTILE_ROWS
}

/** The rows a filter matches, counted once for several stats calls over it. */
export async function countMatching(db: Reader, f: LogFilter, now = new Date()): Promise<number> {
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

export async function statsSummary(db: Reader, f: LogFilter & Known, now = new Date()): Promise<{ range: Range; totals: StatsRow; exactPercentiles: boolean }> {
  const range = resolveRange(f, now)
  const w = whereClause(f, range)
  const exact = await exactFor(db, w, f)
  const rows = await db.all(`SELECT ${exact ? AGGREGATES : SAMPLED_ONE} FROM request_log WHERE ${w.sql}`, w.params)
  return { range, totals: toStats(rows[0]), exactPercentiles: exact }
}

/** Bucket widths offered, smallest first: the smallest giving at most ~200 points is used. */
const BUCKETS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 86_400]

export function autoBucket(range: Range): number {
  const span = (range.to.getTime() - range.from.getTime()) / 1000
  return BUCKETS.find((b) => span / b <= 200) ?? 86_400
}

export async function statsSeries(db: Reader, f: LogFilter & Known & { bucketSeconds?: number }, now = new Date()) {
  const range = resolveRange(f, now)
  const bucketSeconds = f.bucketSeconds ?? autoBucket(range)
  const w = whereClause(f, range)
  const exact = await exactFor(db, w, f)
  const rows = await db.all(
    // Group on the bucket's timestamp and format only the ~200 results: formatting inside the GROUP BY
    // key formatted every row (a third of the 30-day query's time).
    `SELECT strftime(b, '%Y-%m-%dT%H:%M:%SZ') AS t, * EXCLUDE (b) FROM (
       SELECT time_bucket(INTERVAL '${bucketSeconds} seconds', ts) AS b, ${exact ? AGGREGATES : SAMPLED_GROUPS}
       FROM request_log WHERE ${w.sql} GROUP BY 1
     ) ORDER BY b`,
    w.params,
  )
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
export async function statsBreakdown(db: Reader, f: LogFilter & Known & { by: StatsDimension; limit?: number }, now = new Date()) {
  const range = resolveRange(f, now)
  const w = whereClause(f, range)
  const col = DIMENSION_SQL[f.by]
  const exact = await exactFor(db, w, f)
  const rows = await db.all(
    `SELECT ${col} AS k, ${f.by === 'key' ? 'any_value(provider_id) AS provider,' : ''} ${exact ? AGGREGATES : SAMPLED_GROUPS}
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

/**
 * Requests, tokens and cost per bucket for each of the `top` busiest models (or providers) of the
 * range; every other group is summed under `key: null` ("other"). One scan for the ranking, one
 * for the buckets: the dashboard's stacked charts.
 */
export async function statsStacked(db: Reader, f: LogFilter & { bucketSeconds?: number; by: 'model' | 'provider'; top?: number }, now = new Date()) {
  const range = resolveRange(f, now)
  const bucketSeconds = f.bucketSeconds ?? autoBucket(range)
  const w = whereClause(f, range)
  const col = DIMENSION_SQL[f.by]
  const top = await db.all<{ k: string }>(
    `SELECT ${col} AS k FROM request_log WHERE ${w.sql} AND ${col} IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ${f.top ?? 6}`,
    w.params,
  )
  const keys = top.map((r) => r.k)
  const params = [...w.params, ...keys]
  const inTop = keys.length ? `${col} IN (${keys.map((_, i) => `$${w.params.length + i + 1}`).join(', ')})` : 'false'
  const rows = await db.all(
    `SELECT strftime(b, '%Y-%m-%dT%H:%M:%SZ') AS t, k, requests, tokens, cost_usd FROM (
       SELECT time_bucket(INTERVAL '${bucketSeconds} seconds', ts) AS b, CASE WHEN ${inTop} THEN ${col} END AS k,
         count(*) AS requests, sum(coalesce(input_tokens, 0) + coalesce(output_tokens, 0)) AS tokens, sum(cost_usd) AS cost_usd
       FROM request_log WHERE ${w.sql} GROUP BY 1, 2
     ) ORDER BY b, k NULLS LAST`,
    params,
  )
  return {
    range,
    bucketSeconds,
    by: f.by,
    keys,
    points: rows.map((r) => ({ t: r.t as string, key: (r.k as string | null) ?? null, requests: num(r.requests), tokens: num(r.tokens), costUsd: Math.round(num(r.cost_usd) * 1e6) / 1e6 })),
  }
}
