import type { LogReader } from '../db/reader'
import { countMatching, statsBreakdown, statsSeries, statsSummary, type StatsRow } from '../db/stats-repo'
import type { LogFilter } from '../../../shared/schemas/request-log'

/** One group or bucket in the REST shape: snake_case, as the contract's `totals` is. */
function wire(s: StatsRow) {
  return {
    requests: s.requests,
    errors: s.errors,
    errors_4xx: s.errors4xx,
    errors_5xx: s.errors5xx,
    errors_in_band: s.errorsInBand,
    error_rate: s.errorRate,
    input_tokens: s.inputTokens,
    output_tokens: s.outputTokens,
    cache_read_tokens: s.cacheReadTokens,
    cache_write_tokens: s.cacheWriteTokens,
    reasoning_tokens: s.reasoningTokens,
    cost_usd: s.costUsd,
    unpriced_requests: s.unpriced,
    latency_ms: s.latencyMs,
    ttft_ms: s.ttftMs,
  }
}

/** GET /v1/admin/stats: the dashboard's numbers (the same queries as the tRPC stats router). */
export async function adminStats(db: LogReader, f: LogFilter) {
  const now = new Date()
  // One count decides exact or sampled percentiles for all four queries.
  const q = { ...f, rows: await countMatching(db, f, now) }
  const [summary, byModel, byProvider, series] = await Promise.all([
    statsSummary(db, q, now),
    statsBreakdown(db, { ...q, by: 'model', limit: 50 }, now),
    statsBreakdown(db, { ...q, by: 'provider', limit: 50 }, now),
    statsSeries(db, q, now),
  ])
  return {
    range: { from: summary.range.from.toISOString(), to: summary.range.to.toISOString() },
    totals: wire(summary.totals),
    // false when more than 200k rows matched: percentiles then come from per-group reservoir samples.
    exact_percentiles: summary.exactPercentiles,
    by_model: byModel.groups.map((g) => ({ model: g.key, ...wire(g) })),
    by_provider: byProvider.groups.map((g) => ({ provider: g.key, ...wire(g) })),
    bucket_seconds: series.bucketSeconds,
    series: series.points.map((p) => ({ t: p.t, ...wire(p) })),
  }
}
