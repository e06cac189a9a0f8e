import type { ClusterHealth } from '../cluster/cluster'
import type { LogSink } from '../../gateway/log-entry'
import type { Snapshot } from '../../gateway/routing/snapshot'
import { EndpointMonitor } from './endpoint-monitor'
import { GatewayMetrics, type MetricsSources, type StorageReading } from './metrics'
import { PassiveProviderHealth, type ProviderHealth } from './provider-health'
import { ProbingProviderHealth } from './provider-probe'
import { RunMode } from './run-mode'
import { RequestDebugLog } from './request-debug-log'
import { SystemInfo } from './system-info'

/** The slice of the server the operations side reads; kept narrow so tests can fake it. */
export interface OpsSources {
  snapshot(): Snapshot
  logQueue(): { depth: number; dropped: number; written: number }
  storage?(): StorageReading
  /** A passing probe of this provider (closes its circuit). */
  providerUp?(providerId: string): void
  /** Seconds between active provider probes; 0 turns them off. */
  probeIntervalS?: number
  /** This instance's name and Redis link, for /metrics. */
  cluster?(): ClusterHealth
  /** Plugin failures and response-cache counters (issue 19). */
  extensions?: MetricsSources['extensions']
}

/**
 * Everything the operations endpoints need, created once at boot: run mode (whose `gate` guards
 * /v1), the per-endpoint monitor, provider health and Prometheus metrics (all three LogSinks fed by
 * AppState.sinks), and process readings.
 */
export class Ops {
  readonly mode = new RunMode()
  readonly monitor = new EndpointMonitor()
  readonly health: ProviderHealth & LogSink
  readonly metrics: GatewayMetrics
  readonly system = new SystemInfo()
  private readonly debugLog = new RequestDebugLog()
  readonly probe: ProbingProviderHealth

  constructor(
    src: OpsSources,
    readonly version: string,
  ) {
    const health = new ProbingProviderHealth(new PassiveProviderHealth(), src.snapshot, (id) => src.providerUp?.(id))
    health.start((src.probeIntervalS ?? 60) * 1000)
    this.probe = health
    this.health = health
    this.metrics = new GatewayMetrics({ snapshot: src.snapshot, logQueue: src.logQueue, storage: src.storage, health, mode: () => this.mode.get().mode, version, cluster: src.cluster, extensions: src.extensions })
  }

  /** The sinks to add to AppState.sinks. */
  get sinks(): LogSink[] {
    return [this.monitor, this.health, this.metrics, this.debugLog]
  }

  stop(): void {
    this.mode.stop()
    this.probe.stop()
    this.system.stop()
  }
}
