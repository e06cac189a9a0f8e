/**
 * The dashboard's series as charts draw them: one value per bucket across the whole range (buckets
 * without traffic are absent from the query and read as 0, or as a gap for latency), and the
 * stacked per-model series aligned to the same buckets.
 */
export interface SeriesPoint {
  t: string
  requests: number
  errors: number
  latencyMs: { p50: number | null; p95: number | null }
  inputTokens: number
  outputTokens: number
  costUsd: number
}
export interface StackedPoint {
  t: string
  key: string | null
  requests: number
  tokens: number
  costUsd: number
}
export type StackMetric = 'requests' | 'tokens' | 'costUsd'

/** Every bucket start from the range's first bucket to its end (at most `max`). */
export function bucketTimes(range: { from: string; to: string }, bucketSeconds: number, max = 1000): number[] {
  const step = bucketSeconds * 1000
  const to = new Date(range.to).getTime()
  const out: number[] = []
  for (let x = Math.floor(new Date(range.from).getTime() / step) * step; x <= to && out.length < max; x += step) out.push(x)
  return out
}

/** The summary series filled over the buckets. */
export function fillSeries(times: number[], points: SeriesPoint[]) {
  const at = new Map(points.map((p) => [new Date(p.t).getTime(), p]))
  const col = <T>(f: (p: SeriesPoint) => T, empty: T) => times.map((x) => {
    const p = at.get(x)
    return p ? f(p) : empty
  })
  return {
    requests: col((p) => p.requests, 0),
    errors: col((p) => p.errors, 0),
    p50: col((p) => p.latencyMs.p50, null as number | null),
    p95: col((p) => p.latencyMs.p95, null as number | null),
    input: col((p) => p.inputTokens, 0),
    output: col((p) => p.outputTokens, 0),
    cost: col((p) => p.costUsd, 0),
  }
}

/** One series per group (the named ones in order, then "other" = null when it has any traffic). */
export function stackSeries(times: number[], keys: string[], points: StackedPoint[], metric: StackMetric): { key: string | null; values: number[] }[] {
  const index = new Map(times.map((x, i) => [x, i]))
  const groups = new Map<string | null, number[]>(keys.map((k) => [k, times.map(() => 0)]))
  for (const p of points) {
    const i = index.get(new Date(p.t).getTime())
    if (i === undefined) continue
    let g = groups.get(p.key)
    if (!g) groups.set(p.key, (g = times.map(() => 0)))
    g[i]! += p[metric]
  }
  return [...groups].filter(([k, v]) => k !== null || v.some((n) => n > 0)).map(([key, values]) => ({ key, values }))
}

/**
 * Sparse: so few buckets have data that lines would be dots or slivers. Charts then mark every
 * point (latency) instead of drawing bare line segments.
 */
export function isSparse(values: (number | null)[]): boolean {
  const filled = values.filter((v) => v !== null && v !== 0).length
  return filled <= 3 || filled / Math.max(1, values.length) < 0.2
}
