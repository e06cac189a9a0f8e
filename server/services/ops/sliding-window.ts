/**
 * Counts, errors and latency percentiles over the last `windowMs`, kept in fixed time buckets so
 * memory stays bounded whatever the traffic: each bucket keeps at most `samplesPerBucket`
 * latencies (reservoir sampling keeps them a fair sample when there are more).
 */
interface Bucket {
  start: number
  count: number
  errors: number
  seen: number
  samples: number[]
}

export interface WindowStats {
  count: number
  errors: number
  errorRate: number
  /** Requests per second over the part of the window that has data. */
  rps: number
  latencyMs: { p50: number | null; p95: number | null; p99: number | null; max: number | null }
}

export class SlidingWindow {
  private buckets: Bucket[] = []

  constructor(
    readonly windowMs = 5 * 60_000,
    readonly bucketMs = 10_000,
    private readonly samplesPerBucket = 256,
    private readonly now: () => number = Date.now,
  ) {}

  record(latencyMs: number, error: boolean): void {
    const t = this.now()
    const start = t - (t % this.bucketMs)
    let b = this.buckets.at(-1)
    if (!b || b.start !== start) {
      b = { start, count: 0, errors: 0, seen: 0, samples: [] }
      this.buckets.push(b)
      this.prune(t)
    }
    b.count++
    if (error) b.errors++
    b.seen++
    if (b.samples.length < this.samplesPerBucket) b.samples.push(latencyMs)
    else {
      const j = Math.floor(Math.random() * b.seen)
      if (j < this.samplesPerBucket) b.samples[j] = latencyMs
    }
  }

  stats(): WindowStats {
    const t = this.now()
    this.prune(t)
    let count = 0
    let errors = 0
    const all: number[] = []
    for (const b of this.buckets) {
      count += b.count
      errors += b.errors
      for (const s of b.samples) all.push(s)
    }
    all.sort((a, b) => a - b)
    const first = this.buckets[0]?.start ?? t
    const spanS = Math.max((t - first) / 1000, this.bucketMs / 1000)
    return {
      count,
      errors,
      errorRate: count ? errors / count : 0,
      rps: count / spanS,
      latencyMs: { p50: quantile(all, 0.5), p95: quantile(all, 0.95), p99: quantile(all, 0.99), max: all.at(-1) ?? null },
    }
  }

  private prune(t: number): void {
    const oldest = t - this.windowMs
    let i = 0
    while (i < this.buckets.length && this.buckets[i]!.start + this.bucketMs <= oldest) i++
    if (i) this.buckets.splice(0, i)
  }
}

/** Nearest-rank quantile of a sorted array. */
export function quantile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return Math.round(sorted[idx]! * 10) / 10
}
