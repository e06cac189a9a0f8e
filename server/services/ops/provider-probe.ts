import type { LogSink, RequestLogEntry } from '../../gateway/log-entry'
import type { ProviderRuntime, Snapshot } from '../../gateway/routing/snapshot'
import type { ProviderHealth, ProviderHealthReport } from './provider-health'
import { getJson } from '../model-catalog'
import { upstreamHeaders } from '../../gateway/upstream/auth-headers'

/**
 * The cheapest check that a provider and its first key work, as its transport names it: its model
 * list's probe path, or (a type whose credentials are made per key, with no list) making them.
 */
export async function probeProvider(p: ProviderRuntime): Promise<unknown> {
  const t = p.transport
  const list = t.models?.(p.options)
  if (list) return getJson(p, list.probe)
  if (t.probe === 'authorize') return upstreamHeaders(p, p.keys[0], p.dialect, undefined)
  return undefined
}

export interface ProbeResult {
  ok: boolean
  at: string
  latencyMs: number
  error: string | null
}

/**
 * Active checks: every enabled provider's model list endpoint (cheap, no tokens spent) is asked
 * periodically with one of its keys. A passing probe closes the provider's circuit (traffic comes back
 * before a real request has to risk it); with no recent traffic, the probe decides the status.
 */
export class ProbingProviderHealth implements ProviderHealth, LogSink {
  readonly results = new Map<string, ProbeResult>()
  private timer: NodeJS.Timeout | undefined
  /** Cluster mode: only the instance holding the jobs lease probes (services/cluster/job-lease.ts). */
  mayRun: () => boolean = () => true
  /** Cluster mode: each result is published so the other instances report it too. */
  onResult: ((providerId: string, r: ProbeResult) => void) | undefined

  constructor(
    private readonly passive: ProviderHealth & LogSink,
    private readonly snapshot: () => Snapshot,
    private readonly onUp: (providerId: string) => void,
    private readonly check: (p: ProviderRuntime) => Promise<unknown> = probeProvider,
  ) {}

  start(intervalMs: number): void {
    if (intervalMs <= 0) return
    const tick = () => void this.runOnce().catch(() => {})
    setTimeout(tick, 2_000).unref()
    this.timer = setInterval(tick, intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
  }

  async runOnce(): Promise<void> {
    if (!this.mayRun()) return
    const jobs = [...this.snapshot().providers.values()]
      .filter((p) => p.enabled)
      .map(async (p) => {
        const t0 = performance.now()
        try {
          await this.check(p)
          this.record(p.id, { ok: true, at: new Date().toISOString(), latencyMs: Math.round(performance.now() - t0), error: null })
          this.onUp(p.id)
        } catch (e) {
          this.record(p.id, { ok: false, at: new Date().toISOString(), latencyMs: Math.round(performance.now() - t0), error: (e as Error).message.slice(0, 200) })
        }
      })
    await Promise.all(jobs)
  }

  private record(providerId: string, r: ProbeResult): void {
    this.results.set(providerId, r)
    this.onResult?.(providerId, r)
  }

  push(e: RequestLogEntry): void {
    this.passive.push(e)
  }

  report(providers: Iterable<ProviderRuntime>): Array<ProviderHealthReport & { probe: ProbeResult | null }> {
    return this.passive.report(providers).map((r) => {
      const probe = this.results.get(r.id) ?? null
      if (!probe || !r.enabled) return { ...r, probe }
      // Without recent traffic the probe is the only evidence.
      if (r.status === 'unknown') return { ...r, status: probe.ok ? 'up' : 'down', source: 'probe' as const, probe }
      return { ...r, probe }
    })
  }
}
