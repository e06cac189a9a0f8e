import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { ClusterHealth } from '../cluster/cluster'
import type { RedisHealth } from '../cluster/redis-link'
import type { LogSink, RequestLogEntry } from '../../gateway/log-entry'
import type { Snapshot } from '../../gateway/routing/snapshot'
import type { ProviderHealth } from './provider-health'
import type { RunModeName } from './run-mode'
import { ModelLabeler } from './model-label'
import { Tally } from './tally'

/** The data folder and the writes into it, as /metrics and /health/detailed report them. */
export interface StorageReading {
  /** False while the data folder is too full to write (the log waits, configuration is read-only). */
  writable: boolean
  freeBytes: number | null
  /** Failed INSERT statements of the request log's two writers (metadata and bodies). */
  failedWrites: number
  /** Body entries dropped (queue full or failed write); the metadata's are rosetta_log_dropped_total. */
  bodiesDropped: number
  checkpointFailures: number
}

/** What the collect callbacks read at scrape time (never on the request path). */
export interface MetricsSources {
  snapshot(): Snapshot
  logQueue(): { depth: number; dropped: number; written: number }
  storage?(): StorageReading
  health: ProviderHealth
  mode(): RunModeName
  version: string
  /** This instance's name and its Redis link (cluster mode; services/cluster). */
  cluster?(): ClusterHealth
  /** Issue 19: plugin failures and response-cache lookups since boot (absent in tests that do not need them). */
  extensions?(): ExtensionsReading
}

/** What /metrics and /health/detailed report of plugins and the response cache. */
export interface ExtensionsReading {
  plugins: Array<{ name: string; errors: number; timeouts: number }>
  responseCache: { hits: number; misses: number; savedUsd: number }
}

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]
const TTFT_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30]
const STATUS_UP: Record<string, number> = { up: 1, degraded: 1, down: 0 }

const statusClass = (s: number) => (s >= 100 && s < 600 ? `${Math.floor(s / 100)}xx` : 'other')

/**
 * The Prometheus side. Recording is a LogSink: a finished request costs a few counter increments;
 * gauges (keys, queue, provider state) are computed when Prometheus scrapes. Its own Registry, so
 * tests can build several without clashing on the global one.
 */
export class GatewayMetrics implements LogSink {
  readonly registry = new Registry()
  private readonly models: ModelLabeler
  // The per-request counters are tallied here and read by their prom-client counters at scrape time (tally.ts).
  private readonly requests = new Tally(['dialect', 'model', 'provider', 'status_class'] as const)
  private readonly errors = new Tally(['dialect', 'kind'] as const)
  private readonly upstreamErrors = new Tally(['provider', 'kind'] as const)
  private readonly attempts = new Tally(['provider'] as const)
  private readonly retries = new Tally(['dialect'] as const)
  private readonly unparseable = new Tally(['provider'] as const)
  private readonly tokens = new Tally(['provider', 'model', 'type'] as const)
  private readonly duration: Histogram<'dialect' | 'provider' | 'stream'>
  private readonly ttft: Histogram<'dialect' | 'provider'>

  constructor(src: MetricsSources, opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry]
    this.models = new ModelLabeler(() => src.snapshot().models)
    const tallied = <L extends string>(name: string, help: string, tally: Tally<L>) =>
      new Counter<L>({ name, help, labelNames: tally.names, registers, collect() { tally.fill(this) } })
    tallied('rosetta_requests_total', 'Finished /v1 requests', this.requests)
    tallied('rosetta_errors_total', 'Requests that ended in an error (including in-band stream errors), by error kind', this.errors)
    tallied('rosetta_upstream_errors_total', 'Errors of requests that reached a provider, by error kind', this.upstreamErrors)
    tallied('rosetta_upstream_attempts_total', 'Upstream calls made (a request may make several: other keys, fallbacks)', this.attempts)
    tallied('rosetta_upstream_retries_total', 'Upstream calls beyond the first one of a request', this.retries)
    tallied('rosetta_stream_chunks_unparseable_total', 'Upstream stream chunks that did not parse and were skipped (each request also logs a warning)', this.unparseable)
    this.duration = new Histogram({ name: 'rosetta_request_duration_seconds', help: 'Whole request latency, to the last byte', labelNames: ['dialect', 'provider', 'stream'], buckets: LATENCY_BUCKETS, registers })
    this.ttft = new Histogram({ name: 'rosetta_time_to_first_token_seconds', help: 'Time to the first upstream byte of successful streamed requests', labelNames: ['dialect', 'provider'], buckets: TTFT_BUCKETS, registers })
    tallied('rosetta_tokens_total', 'Tokens by type: input, output, cache_read, cache_write, reasoning', this.tokens)

    const cluster = src.cluster
    if (cluster) {
      // The instance's name as a label of its own (not `instance`: Prometheus sets that to the scrape target).
      new Gauge({ name: 'rosetta_instance_info', help: 'This instance (NUXT_INSTANCE_ID, default hostname:pid)', labelNames: ['instance_id'], registers, collect() { this.reset(); this.set({ instance_id: cluster().instance }, 1) } })
      if (cluster().redis.configured) {
        const redis = () => cluster().redis as RedisHealth
        new Gauge({ name: 'rosetta_redis_up', help: '1 while Redis (NUXT_REDIS_URL) answers; 0: running on local state (degraded)', registers, collect() { this.set(redis().connected ? 1 : 0) } })
        new Counter({ name: 'rosetta_redis_reconnects_total', help: 'Times the Redis connection came back after a loss (each re-syncs shared state)', registers, collect() { this.reset(); this.inc(redis().reconnects) } })
        new Counter({ name: 'rosetta_client_key_local_admissions_total', help: 'Client-key admissions decided on local counters because Redis did not answer', registers, collect() { this.reset(); this.inc(cluster().localAdmissions) } })
        new Gauge({ name: 'rosetta_jobs_lease_held', help: '1 when this instance runs the background jobs (provider probes)', registers, collect() { this.set(cluster().runsJobs ? 1 : 0) } })
      }
    }
    new Gauge({
      name: 'rosetta_provider_keys', help: 'Upstream keys in each provider pool', labelNames: ['provider', 'state'], registers,
      collect() {
        this.reset()
        for (const p of src.snapshot().providers.values()) this.set({ provider: p.id, state: p.enabled ? 'active' : 'provider_disabled' }, p.keys.length)
      },
    })
    new Gauge({
      name: 'rosetta_provider_up', help: '1 when the provider answered its latest request, 0 when that failed (absent: no recent traffic)', labelNames: ['provider'], registers,
      collect() {
        this.reset()
        for (const r of src.health.report(src.snapshot().providers.values())) if (r.status in STATUS_UP) this.set({ provider: r.id }, STATUS_UP[r.status]!)
      },
    })
    new Gauge({ name: 'rosetta_log_queue_depth', help: 'Request-log entries waiting to be written', registers, collect() { this.set(src.logQueue().depth) } })
    new Counter({ name: 'rosetta_log_dropped_total', help: 'Request-log entries dropped (queue full or failed write)', registers, collect() { this.reset(); this.inc(src.logQueue().dropped) } })
    new Counter({ name: 'rosetta_log_written_total', help: 'Request-log entries written to DuckDB', registers, collect() { this.reset(); this.inc(src.logQueue().written) } })
    if (src.storage) {
      const st = src.storage
      new Gauge({ name: 'rosetta_storage_writable', help: '1 while the data folder has room to write; 0: the request log waits in memory and configuration is read-only', registers, collect() { this.set(st().writable ? 1 : 0) } })
      new Gauge({
        name: 'rosetta_data_disk_free_bytes', help: 'Free bytes in the data folder (as of the last reading, every 2 s)', registers,
        collect() {
          const free = st().freeBytes
          if (free !== null) this.set(free)
        },
      })
      new Counter({ name: 'rosetta_log_failed_writes_total', help: 'Request-log INSERT statements that failed (their rows are dropped and counted)', registers, collect() { this.reset(); this.inc(st().failedWrites) } })
      new Counter({ name: 'rosetta_log_bodies_dropped_total', help: 'Request bodies not stored (queue full or failed write)', registers, collect() { this.reset(); this.inc(st().bodiesDropped) } })
      new Counter({ name: 'rosetta_db_checkpoint_failures_total', help: 'Checkpoints that failed (the data stays in the WAL)', registers, collect() { this.reset(); this.inc(st().checkpointFailures) } })
    }
    new Gauge({
      name: 'rosetta_run_mode', help: '1 for the current run mode', labelNames: ['mode'], registers,
      collect() {
        const m = src.mode()
        for (const mode of ['normal', 'debug', 'maintenance']) this.set({ mode }, mode === m ? 1 : 0)
      },
    })
    if (src.extensions) {
      const ext = src.extensions
      new Counter({
        name: 'rosetta_plugin_failures_total', help: 'Plugin hook calls that threw or passed their time budget (kind: error | timeout)', labelNames: ['plugin', 'kind'], registers,
        collect() {
          this.reset()
          for (const p of ext().plugins) {
            if (p.errors) this.inc({ plugin: p.name, kind: 'error' }, p.errors)
            if (p.timeouts) this.inc({ plugin: p.name, kind: 'timeout' }, p.timeouts)
          }
        },
      })
      new Counter({
        name: 'rosetta_response_cache_lookups_total', help: 'Response-cache lookups (result: hit | miss)', labelNames: ['result'], registers,
        collect() {
          this.reset()
          const c = ext().responseCache
          this.inc({ result: 'hit' }, c.hits)
          this.inc({ result: 'miss' }, c.misses)
        },
      })
      new Counter({ name: 'rosetta_response_cache_saved_usd_total', help: 'What the answers served from the response cache would have cost upstream', registers, collect() { this.reset(); this.inc(ext().responseCache.savedUsd) } })
    }
    new Gauge({ name: 'rosetta_info', help: 'Build information', labelNames: ['version'], registers }).set({ version: src.version }, 1)
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry })
  }

  push(e: RequestLogEntry): void {
    const provider = e.providerId ?? 'none'
    const model = this.models.label(e)
    this.requests.add([e.dialect, model, provider, statusClass(e.status)])
    this.duration.observe({ dialect: e.dialect, provider, stream: String(e.stream) }, e.latencyMs / 1000)
    const attempts = e.attempts
    let counted = false
    if (attempts?.length) {
      for (const a of attempts) {
        this.attempts.add([a.provider])
        if (!a.errorKind) continue
        this.upstreamErrors.add([a.provider, a.errorKind])
        if (a.provider === e.providerId && a.errorKind === e.errorKind) counted = true
      }
      if (attempts.length > 1) this.retries.add([e.dialect], attempts.length - 1)
    } else if (e.providerId) this.attempts.add([provider])
    // Without attempt records, or for an in-band stream error, the entry itself names the failure.
    if (e.errorKind && e.errorKind !== 'cancelled' && e.providerId && !counted) this.upstreamErrors.add([provider, e.errorKind])
    if (e.errorKind) {
      this.errors.add([e.dialect, e.errorKind])
    } else if (e.stream && e.ttfbMs !== null) this.ttft.observe({ dialect: e.dialect, provider }, e.ttfbMs / 1000)
    if (e.unparseableChunks) this.unparseable.add([provider], e.unparseableChunks)
    const u = e.usage
    if (u) {
      const add = (type: string, n: number | undefined) => {
        if (n) this.tokens.add([provider, model, type], n)
      }
      add('input', u.inputTokens)
      add('output', u.outputTokens)
      add('cache_read', u.cacheReadTokens)
      add('cache_write', u.cacheWriteTokens)
      add('reasoning', u.reasoningTokens)
    }
  }

  text(): Promise<string> {
    return this.registry.metrics()
  }

  get contentType(): string {
    return this.registry.contentType
  }
}
