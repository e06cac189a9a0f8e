import type { LogSink, RequestLogEntry } from '../../gateway/log-entry'
import type { ProviderRuntime } from '../../gateway/routing/snapshot'
import { SlidingWindow } from './sliding-window'
import { entryOf } from '../../../shared/map-entry'

export type ProviderStatus = 'up' | 'degraded' | 'down' | 'unknown' | 'disabled'

export interface ProviderHealthReport {
  id: string
  dialect: string
  enabled: boolean
  keys: number
  status: ProviderStatus
  /** Where the verdict comes from: 'passive' = recent request outcomes; 'probe' = active checks. */
  source: 'passive' | 'probe'
  lastStatus: number | null
  lastError: { kind: string; message: string | null; at: string } | null
  lastSeenAt: string | null
  window: { seconds: number; requests: number; failures: number; successRate: number | null }
  latencyMs: { p50: number | null; p95: number | null }
}

/**
 * The seam for provider availability. Today the only implementation watches finished requests;
 * the routing issue adds active probes (and may feed cooldowns) behind this same interface, so
 * /health/detailed, /metrics and the UI do not change.
 */
export interface ProviderHealth {
  report(providers: Iterable<ProviderRuntime>): ProviderHealthReport[]
}

/** Error kinds that say the provider (not the client) is in trouble. */
const PROVIDER_FAULTS = new Set(['connection', 'timeout', 'upstream_error', 'overloaded', 'authentication', 'quota', 'rate_limit', 'unavailable'])

interface Track {
  win: SlidingWindow
  lastStatus: number
  lastSeenAt: Date
  lastFault: boolean
  lastError: ProviderHealthReport['lastError']
}

/**
 * Provider health from the request log stream: each upstream attempt a request made (or, without
 * attempt records, the provider the entry names). Provider ids come from the configuration, so
 * the map stays bounded by the configured providers.
 */
export class PassiveProviderHealth implements LogSink, ProviderHealth {
  private tracks = new Map<string, Track>()

  constructor(private readonly makeWindow: () => SlidingWindow = () => new SlidingWindow()) {}

  push(e: RequestLogEntry): void {
    const attempts = e.attempts
    if (attempts?.length) {
      // Every upstream call counts, including the failed ones a fallback hid from the client. An
      // in-band stream error shows only on the entry, so the last attempt borrows it.
      attempts.forEach((a, i) => {
        const last = i === attempts.length - 1 && a.provider === e.providerId
        const kind = a.errorKind ?? (last ? e.errorKind : null)
        this.record(a.provider, a.status, kind, last ? e.errorMessage : null, a.latencyMs)
      })
    } else if (e.providerId) this.record(e.providerId, e.status, e.errorKind, e.errorMessage, e.latencyMs)
  }

  private record(provider: string, status: number, errorKind: string | null, message: string | null, latencyMs: number): void {
    const fault = errorKind !== null && PROVIDER_FAULTS.has(errorKind)
    const t = entryOf(this.tracks, provider, (): Track => ({ win: this.makeWindow(), lastStatus: 0, lastSeenAt: new Date(), lastFault: false, lastError: null }))
    t.win.record(latencyMs, fault)
    t.lastStatus = status
    t.lastSeenAt = new Date()
    t.lastFault = fault
    if (fault) t.lastError = { kind: errorKind!, message, at: t.lastSeenAt.toISOString() }
  }

  report(providers: Iterable<ProviderRuntime>): ProviderHealthReport[] {
    const out: ProviderHealthReport[] = []
    for (const p of providers) {
      const t = this.tracks.get(p.id)
      const s = t?.win.stats()
      const successRate = s && s.count ? 1 - s.errorRate : null
      let status: ProviderStatus
      if (!p.enabled) status = 'disabled'
      else if (!t || !s?.count) status = 'unknown'
      // The latest outcome decides up/down (a provider that answers again is up at once);
      // a poor recent record makes an answering provider 'degraded'.
      else if (t.lastFault) status = 'down'
      else status = successRate !== null && successRate < 0.9 ? 'degraded' : 'up'
      out.push({
        id: p.id,
        dialect: p.dialect,
        enabled: p.enabled,
        keys: p.keys.length,
        status,
        source: 'passive',
        lastStatus: t?.lastStatus ?? null,
        lastError: t?.lastError ?? null,
        lastSeenAt: t?.lastSeenAt.toISOString() ?? null,
        window: { seconds: Math.round((t?.win.windowMs ?? 300_000) / 1000), requests: s?.count ?? 0, failures: s?.errors ?? 0, successRate },
        latencyMs: { p50: s?.latencyMs.p50 ?? null, p95: s?.latencyMs.p95 ?? null },
      })
    }
    return out
  }
}
