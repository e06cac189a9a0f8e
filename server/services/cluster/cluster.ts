import type { Settings } from '../../utils/settings'
import { MemoryStateStore, type StateStore } from '../../gateway/pool/state-store'
import type { LoginGuard } from '../security/login-guard'
import type { SecurityState } from '../security/security-state'
import type { ProbeResult, ProbingProviderHealth } from '../ops/provider-probe'
import { logger } from '../../utils/logger'
import type { SignatureCache } from '../../gateway/signature-cache'
import type { Signature } from '../../gateway/ir/opaque'
import { resolveInstanceId } from './instance-id'
import { JobLease } from './job-lease'
import { RedisLink, type ClusterMessage, type RedisHealth } from './redis-link'
import { RedisStateStore } from './redis-state-store'
import { RedisUsageStore } from './redis-usage-store'
import { RedisModelLists } from './redis-model-lists'
import type { SharedModelLists } from '../model-catalog'

/** What /health/detailed shows of the cluster side. */
export interface ClusterHealth {
  instance: string
  redis: RedisHealth | { configured: false }
  /** Whether this instance runs the background jobs now (always true without Redis). */
  runsJobs: boolean
  /** Client-key admissions decided locally because Redis did not answer. */
  localAdmissions: number
}

/**
 * This instance's place among others: its name (NUXT_INSTANCE_ID) and, with NUXT_REDIS_URL, the
 * shared state — key states and circuits, client-key limits, the login guards, sessions and admin
 * tokens, configuration changes, probe results, and the lease that lets one instance run the
 * background jobs. Without Redis everything is in memory as before and `link` is null.
 */
export class Cluster {
  readonly instanceId: string
  readonly link: RedisLink | null
  readonly usage: RedisUsageStore | null
  readonly lease: JobLease | null

  constructor(settings: Pick<Settings, 'redisUrl' | 'instanceId'>) {
    this.instanceId = resolveInstanceId(settings.instanceId)
    this.link = settings.redisUrl ? new RedisLink(settings.redisUrl, this.instanceId) : null
    this.usage = this.link ? new RedisUsageStore(this.link) : null
    this.lease = this.link ? new JobLease(this.link) : null
    const usage = this.usage
    if (usage) this.link!.onUp(() => usage.resync())
  }

  /** The key-state store: shared through Redis when configured. Made before `connect` (it loads the shared state on connection). */
  stateStore(): StateStore {
    return this.link ? new RedisStateStore(this.link) : new MemoryStateStore()
  }

  /** Where the model catalog shares the providers' model lists: Redis when configured, else none (each instance its own). */
  modelLists(): SharedModelLists | undefined {
    return this.link ? new RedisModelLists(this.link) : undefined
  }

  /** Connects to Redis (at most a few seconds: with Redis away the instance boots degraded) and starts the lease. */
  async connect(): Promise<void> {
    if (!this.link) return
    await this.link.start()
    this.lease!.start()
  }

  /**
   * Configuration changed here (any write, a rosetta.yaml reload): the others reload theirs from
   * the database. They also reload after Redis comes back (changes made meanwhile were not heard).
   */
  configChanged(): void {
    this.link?.publish('config', {})
  }

  onConfigChanged(reload: () => Promise<void>): void {
    const run = () => {
      void reload().catch((e: Error) => logger.warn('configuration not reloaded after a change on another instance', { error: e.message }))
    }
    this.link?.on('config', run)
    this.link?.onUp(reload)
  }

  /**
   * rosetta.yaml was re-applied here (a file change): the others load their plugins afresh too, as
   * this instance did; their configuration comes from the database through `config`. Not on every
   * configuration write: only a reload re-reads the plugins folder.
   */
  pluginsReloaded(): void {
    this.link?.publish('plugins', {})
  }

  onPluginsReloaded(reload: () => Promise<void>): void {
    this.link?.on('plugins', () => {
      void reload().catch((e: Error) => logger.warn('plugins not reloaded after a reload on another instance', { error: e.message }))
    })
    // A reload announced while Redis was away was not heard: load them again when it answers.
    this.link?.onUp(reload)
  }

  /** Sessions, admin tokens and the three login guards, kept the same on every instance. */
  shareSecurity(sec: SecurityState): void {
    const link = this.link
    if (!link) return
    sec.onChange = (what) => link.publish(what, {})
    const reload = (fn: () => Promise<void>, what: string) => () => {
      void fn().catch((e: Error) => logger.warn(`${what} not reloaded after a change on another instance`, { error: e.message }))
    }
    link.on('sessions', reload(() => sec.loadSessions(), 'sessions'))
    link.on('tokens', reload(() => sec.loadTokens(), 'admin tokens'))
    link.onUp(async () => {
      await sec.loadSessions()
      await sec.loadTokens()
    })
    const guards: Record<string, LoginGuard> = { login: sec.loginGuard, admin: sec.adminAuthGuard, client: sec.clientKeyGuard }
    for (const [g, guard] of Object.entries(guards)) {
      guard.onFail = (ip, at) => link.publish('guard', { g, ip, at })
      guard.onSucceed = (ip) => link.publish('guard', { g, ip, ok: true })
    }
    link.on('guard', (m: ClusterMessage) => {
      const guard = typeof m.g === 'string' ? guards[m.g] : undefined
      if (!guard || typeof m.ip !== 'string') return
      if (m.ok === true) guard.forget(m.ip)
      else if (typeof m.at === 'number') guard.count(m.ip, m.at)
    })
  }

  /** Provider probes run on the lease holder only; its results reach every instance's health report. */
  shareProbes(probe: ProbingProviderHealth): void {
    const link = this.link
    const lease = this.lease
    if (!link || !lease) return
    probe.mayRun = () => lease.holds()
    probe.onResult = (id, r) => link.publish('probe', { id, r })
    link.on('probe', (m) => {
      const r = m.r as Partial<ProbeResult> | undefined
      if (typeof m.id !== 'string' || typeof r?.ok !== 'boolean' || typeof r.at !== 'string') return
      // The circuits the holder's passing probe closed arrive as circuit changes (RedisStateStore).
      probe.results.set(m.id, { ok: r.ok, at: r.at, latencyMs: Number(r.latencyMs ?? 0), error: typeof r.error === 'string' ? r.error : null })
    })
  }

  /** Tool-call signatures reach every instance: the client's next turn may come back through another one. */
  shareSignatures(cache: SignatureCache): void {
    const link = this.link
    if (!link) return
    cache.onPut = (id, sig) => link.publish('sig', { id, o: sig.origin, v: sig.value })
    link.on('sig', (m) => {
      if (typeof m.id === 'string' && typeof m.o === 'string' && typeof m.v === 'string') cache.keep(m.id, { origin: m.o as Signature['origin'], value: m.v })
    })
  }

  health(): ClusterHealth {
    return {
      instance: this.instanceId,
      redis: this.link ? this.link.health() : { configured: false },
      runsJobs: this.lease ? this.lease.holds() : true,
      localAdmissions: this.usage?.fallbacks ?? 0,
    }
  }

  /** Redis configured and unreachable: requests flow on local state (the health status says degraded). */
  get degraded(): boolean {
    return this.link !== null && !this.link.up
  }

  async close(): Promise<void> {
    await this.lease?.stop()
    await this.link?.close()
  }
}
