import type { RequestLogEntry } from '../../gateway/log-entry'

/**
 * Bounded `model` label values for metrics: a client can send any string as a model name, and each
 * distinct label value is a new time series in Prometheus. Configured model names are always kept;
 * upstream models that routing resolved are kept up to `maxResolved` distinct values; everything
 * else collapses to 'other' ('none' when the request never named a model).
 */
export class ModelLabeler {
  private resolved = new Set<string>()

  constructor(
    private readonly configured: () => { has(name: string): boolean },
    readonly maxResolved = 50,
  ) {}

  label(e: Pick<RequestLogEntry, 'model' | 'upstreamModel' | 'providerId'>): string {
    if (!e.model) return 'none'
    if (this.configured().has(e.model)) return e.model
    // Only a request that routing resolved to a provider has a vetted upstream model name.
    const m = e.providerId ? e.upstreamModel : null
    if (!m) return 'other'
    if (this.resolved.has(m)) return m
    if (this.resolved.size >= this.maxResolved) return 'other'
    this.resolved.add(m)
    return m
  }
}
