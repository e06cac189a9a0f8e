import type { Counter } from 'prom-client'

/**
 * A labelled Prometheus counter kept as plain numbers on the request path and handed to prom-client
 * only when Prometheus scrapes (the counter's `collect` hook calls `fill`). prom-client's own `inc`
 * validates and hashes its labels object (keys sorted) on every call, ~0.45 µs, and a request makes
 * four to six of them; a Map keyed by the label values costs a few tens of ns
 * (`npm run bench:metrics`). Values are in `names` order.
 */
export class Tally<L extends string> {
  private readonly counts = new Map<string, { labels: Record<L, string>; n: number }>()

  constructor(readonly names: readonly L[]) {}

  add(values: readonly string[], n = 1): void {
    const key = values.length === 1 ? values[0]! : values.join('\u0000')
    const hit = this.counts.get(key)
    if (hit) hit.n += n
    else {
      const labels = {} as Record<L, string>
      for (let i = 0; i < this.names.length; i++) labels[this.names[i]!] = values[i]!
      this.counts.set(key, { labels, n })
    }
  }

  /** Sets the counter to the tallies (reset first: the tallies are totals since boot, so it stays monotonic). */
  fill(counter: Counter<L>): void {
    counter.reset()
    for (const { labels, n } of this.counts.values()) counter.inc(labels, n)
  }
}
