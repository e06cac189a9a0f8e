import type { DialectName, IRRequest, IRResponse, IRStreamEvent } from '../ir'
import type { RequestLogEntry } from '../log-entry'
import type { PluginUseConfig } from '../../../shared/schemas/config-file'
import { GatewayError } from '../errors'
import { isAnswer, isDenial, isRetry, type PluginContext, type RosettaPlugin } from './api'
import type { PluginRegistry } from './registry'
import { logger } from '../../utils/logger'

/** A hook's time budget when its use sets none (ms). */
export const DEFAULT_PLUGIN_TIMEOUT_MS = 2000

/** One stream event in, the events to send on out (none: held back). */
export type StreamTransform = (ev: IRStreamEvent) => IRStreamEvent[]

interface Bound {
  use: PluginUseConfig
  plugin: RosettaPlugin | undefined
  ctx: PluginContext
  /** A plugin that is not loaded is reported once per request, not once per hook. */
  missingReported?: boolean
}

/** Who the request is, for the hooks' context. */
export interface RunIdentity {
  requestId: string
  dialect: DialectName
  model: string
  clientKey: string
}

class PluginTimeout extends Error {}

/** Thrown by onResponse when a hook asked for one more upstream call (extended-delivery.ts makes it). */
export class PluginRetryRequest extends Error {}

/** The options of a use without `with:`: one shared object, so built-ins compile them once, not per request. */
const NO_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({})

/**
 * The plugins configured for one request, in order (the model entry's or route's, then the client
 * key's), with their per-request state. Every hook call is guarded: a plugin that throws or passes its
 * time budget is counted (registry, log row) and then either skipped ('open', the default) or ends the
 * request ('closed': a 503 naming the plugin). Nothing a plugin does can crash the process.
 */
export class PluginRun {
  /** `plugin=<name>: <what happened>` lines for the log row's warnings (failures, retries, hooks' own notes). */
  readonly logNotes: string[] = []
  /** Set when onResponse asked for one more upstream call (extended-delivery.ts makes it). */
  retryReason: string | undefined
  /** Upstream headers the hooks asked for (value: set; null: remove). */
  readonly upstreamHeaders: Record<string, string | null> = {}
  /** Whether onResponse may still ask for one more upstream call (once per request, never for a cached or plugin-made answer). */
  retryAllowed = true
  private readonly bound: Bound[]

  constructor(
    private readonly registry: PluginRegistry,
    uses: readonly PluginUseConfig[],
    who: RunIdentity,
  ) {
    this.bound = uses.map((use) => ({
      use,
      plugin: registry.get(use.use),
      ctx: {
        options: use.with ?? NO_OPTIONS,
        requestId: who.requestId,
        dialect: who.dialect,
        model: who.model,
        clientKey: who.clientKey,
        state: {},
        upstreamHeaders: this.upstreamHeaders,
        warn: (message: string) => void this.logNotes.push(`plugin=${use.use}: ${message}`),
      },
    }))
  }

  /** Whether any plugin of this request has an onRequest hook (the request may have been changed). */
  get changesRequests(): boolean {
    return this.bound.some((b) => b.plugin?.onRequest)
  }

  /** Runs every onRequest in order. Returns the (possibly changed) request, or a plugin's own answer; throws a denial. */
  async onRequest(req: IRRequest): Promise<{ request: IRRequest; answer?: IRResponse }> {
    let cur = req
    for (const b of this.bound) {
      if (!this.present(b) || !b.plugin!.onRequest) continue
      let r: unknown
      try {
        r = await this.timed(b, b.plugin!.onRequest(cur, b.ctx))
      } catch (e) {
        this.fail(b, e)
        continue
      }
      if (isDenial(r)) throw new GatewayError(r.status === 400 ? 'invalid_request' : 'permission', r.deny)
      if (isAnswer(r)) return { request: cur, answer: r.answer }
      if (r && typeof r === 'object') cur = r as IRRequest
    }
    return { request: cur }
  }

  /** Runs every onResponse in order over a complete answer. */
  async onResponse(res: IRResponse): Promise<IRResponse> {
    let cur = res
    for (const b of this.bound) {
      if (!this.present(b) || !b.plugin!.onResponse) continue
      try {
        const r = await this.timed(b, b.plugin!.onResponse(cur, b.ctx))
        if (isDenial(r)) throw new GatewayError(r.status === 400 ? 'invalid_request' : 'permission', r.deny)
        if (isRetry(r)) {
          if (!this.retryAllowed) {
            this.logNotes.push(`plugin=${b.use.use}: asked for one more upstream call (${r.retry}), but this answer cannot be asked for again`)
            continue
          }
          this.retryAllowed = false
          this.retryReason = r.retry
          this.logNotes.push(`plugin=${b.use.use}: asked for one more upstream call (${r.retry})`)
          throw new PluginRetryRequest(r.retry)
        }
        if (r && typeof r === 'object') cur = r as IRResponse
      } catch (e) {
        if (GatewayError.is(e) || e instanceof PluginRetryRequest) throw e
        this.fail(b, e)
      }
    }
    return cur
  }

  /**
   * The chain of onStreamEvent hooks as one transform, or undefined when no plugin has one (the relay
   * then does no extra work). Stream hooks are synchronous: a throw is a failure at once, a call longer
   * than the budget is counted as a timeout after the fact (the event it returned still goes out);
   * failing closed ends the stream with an in-band error.
   */
  streamTransform(): StreamTransform | undefined {
    const stages = this.bound.filter((b) => b.plugin?.onStreamEvent)
    if (stages.length === 0) return undefined
    let broken: GatewayError | undefined
    return (ev) => {
      if (broken) return []
      let evs: IRStreamEvent[] = [ev]
      for (const b of stages) {
        const next: IRStreamEvent[] = []
        for (const e of evs) {
          const t0 = performance.now()
          let r: ReturnType<NonNullable<RosettaPlugin['onStreamEvent']>>
          try {
            r = b.plugin!.onStreamEvent!(e, b.ctx)
          } catch (err) {
            try {
              this.fail(b, err)
            } catch (closed) {
              broken = closed as GatewayError
              return [{ type: 'error', error: broken }]
            }
            next.push(e)
            continue
          }
          const ms = performance.now() - t0
          if (ms > (b.use.timeout_ms ?? DEFAULT_PLUGIN_TIMEOUT_MS)) this.count(b, 'timeout', `onStreamEvent took ${Math.round(ms)} ms`)
          if (r === undefined) next.push(e)
          else if (r === null) continue
          else if (Array.isArray(r)) next.push(...r)
          else next.push(r)
        }
        evs = next
      }
      return evs
    }
  }

  /** Every onLog, after the entry is final; failures are counted, never awaited by anyone. */
  onLog(entry: RequestLogEntry): void {
    for (const b of this.bound) {
      if (!b.plugin?.onLog) continue
      void this.timed(b, b.plugin.onLog(entry, b.ctx)).catch((e: unknown) => {
        try {
          this.fail(b, e, true)
        } catch {
          /* onLog runs after the answer: failing closed has nothing left to refuse */
        }
      })
    }
  }

  /** A plugin the configuration names but nobody loaded is a failure of that plugin, each time. */
  private present(b: Bound): boolean {
    if (b.plugin) return true
    if (b.missingReported) return false
    b.missingReported = true
    this.fail(b, new Error(`plugin '${b.use.use}' is not loaded (no built-in and no module in NUXT_PLUGINS_DIR has that name)`))
    return false
  }

  private async timed<T>(b: Bound, v: T | Promise<T>): Promise<T> {
    if (!(v instanceof Promise)) return v
    const ms = b.use.timeout_ms ?? DEFAULT_PLUGIN_TIMEOUT_MS
    let timer: NodeJS.Timeout | undefined
    try {
      return await Promise.race([
        v,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new PluginTimeout(`took longer than its budget of ${ms} ms`)), ms)
        }),
      ])
    } finally {
      clearTimeout(timer)
    }
  }

  private count(b: Bound, kind: 'error' | 'timeout', message: string): void {
    this.registry.failed(b.use.use, kind, message)
    this.logNotes.push(`plugin=${b.use.use}: ${kind === 'timeout' ? 'timed out' : 'failed'} (${message}); ${b.use.on_error === 'closed' ? 'failed closed' : 'skipped (fails open)'}`)
  }

  /** Counts the failure; fails closed by throwing the client's 503, open by returning. */
  private fail(b: Bound, e: unknown, quiet = false): void {
    const timeout = e instanceof PluginTimeout
    const message = e instanceof Error ? e.message : String(e)
    this.count(b, timeout ? 'timeout' : 'error', message)
    if (!quiet) logger.warn('plugin failed', { plugin: b.use.use, requestId: b.ctx.requestId, error: message, onError: b.use.on_error ?? 'open' })
    if (b.use.on_error === 'closed') throw new GatewayError('unavailable', `plugin '${b.use.use}' failed and is configured to fail closed: ${message}`)
  }
}
