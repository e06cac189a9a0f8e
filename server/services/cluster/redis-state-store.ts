import { MemoryStateStore } from '../../gateway/pool/state-store'
import type { KeyState, ModelRest } from '../../gateway/pool/key-state'
import type { CircuitState } from '../../gateway/pool/circuit'
import type { IRUsage } from '../../gateway/ir'
import type { ClusterMessage, RedisLink } from './redis-link'
import { SharedInFlight } from './shared-in-flight'
import { ConcurrencyLeases } from './concurrency-leases'

/** Hash of every key's shared part (field: key hash) and of every circuit's (field: provider \n model). */
const KEYS_HASH = 'rosetta:state:keys'
const CIRCUITS_HASH = 'rosetta:state:circuits'

/** What instances share of a key: rests (key-wide and per model) and the disable; `at` orders changes. */
export interface SharedKey {
  restUntil: number
  restHard: boolean
  strikes: number
  disabledReason: string | null
  disabledAt: number | null
  /** [model, until, strikes, hard] of the model rests not yet over. */
  models: Array<[string, number, number, boolean]>
  at: number
}

/** What instances share of a circuit: open or not, until when, how many opens in a row. */
export interface SharedCircuit {
  open: boolean
  openUntil: number
  opens: number
  at: number
}

function sharedKey(s: KeyState, at: number): SharedKey {
  const models: SharedKey['models'] = []
  for (const [m, r] of s.models ?? []) if (r.until > at) models.push([m, r.until, r.strikes, r.hard])
  return { restUntil: s.restUntil, restHard: s.restHard, strikes: s.strikes, disabledReason: s.disabledReason, disabledAt: s.disabledAt, models, at }
}

function isSharedKey(v: unknown): v is SharedKey {
  const o = v as Partial<SharedKey> | null
  return typeof o === 'object' && o !== null && typeof o.restUntil === 'number' && typeof o.at === 'number' && Array.isArray(o.models)
}

function isSharedCircuit(v: unknown): v is SharedCircuit {
  const o = v as Partial<SharedCircuit> | null
  return typeof o === 'object' && o !== null && typeof o.open === 'boolean' && typeof o.openUntil === 'number' && typeof o.at === 'number'
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/**
 * The StateStore of an instance in a cluster. Reads stay local and synchronous (the MemoryStateStore
 * underneath is the read path); every change other instances must see — a key rested, disabled or
 * enabled, a circuit opened or closed — is written to a Redis hash (the state a re-sync reads) and
 * published on the cluster channel, in the background. Others apply it on arrival (milliseconds),
 * so a key rested by a 429 through one instance is skipped by all. Requests in flight per key are
 * summed over the instances (SharedInFlight) for the choice of a key and the admin views; a key with a
 * max-concurrency is admitted exactly by a lease in Redis (ConcurrencyLeases, `claim`). The other
 * counters stay per instance. While Redis is
 * away everything runs locally; when it returns, the newer side of each record wins (`at`), so rests
 * made during the outage reach the others and theirs arrive here.
 */
export class RedisStateStore extends MemoryStateStore {
  /** When each key's / circuit's shared part last changed here or arrived (orders the merge). */
  private readonly keyAt = new Map<string, number>()
  private readonly circuitAt = new Map<string, number>()

  /** Requests in flight per key over every instance, as last heard (a key at its cap is not chosen). */
  readonly inFlight: SharedInFlight
  /** The exact admission of keys with a max-concurrency (a Redis lease per request). */
  readonly leases: ConcurrencyLeases

  constructor(
    private readonly link: RedisLink,
    inFlightStaleMs?: number,
    inFlightHeartbeatMs?: number,
    leaseTtlMs?: number,
    leaseRenewMs?: number,
  ) {
    super()
    this.inFlight = new SharedInFlight(link, (k, total) => (this.key(k).inFlight = total), inFlightStaleMs, inFlightHeartbeatMs)
    this.leases = new ConcurrencyLeases(link, leaseTtlMs, leaseRenewMs)
    link.on('key', (m) => this.applyKeyMessage(m))
    link.on('circuit', (m) => this.applyCircuitMessage(m))
    link.onUp(async () => {
      await this.resync()
      // A second pass a second later: records other instances re-wrote during their own re-sync (Redis
      // back empty) may have landed after our read and before our subscription was back.
      setTimeout(() => void this.resync().catch(() => {}), 1000).unref()
    })
    // And once subscribed again: a change published before that was not heard (redis-link.ts).
    link.onSubscribed(() => (this.link.up ? this.resync() : Promise.resolve()))
  }

  override acquire(keyHash: string): void {
    const s = this.key(keyHash)
    s.requests++
    s.inFlight = this.inFlight.add(keyHash, 1)
  }

  claim(keyHash: string, max: number): Promise<boolean> {
    return this.leases.claim(keyHash, max)
  }

  override release(keyHash: string): void {
    this.key(keyHash).inFlight = this.inFlight.add(keyHash, -1)
    this.leases.release(keyHash)
  }

  override succeeded(keyHash: string | undefined, providerId: string, model: string, now: number, usage: IRUsage | null): void {
    // Only a success that ends a rest or closes a circuit is news for the others (not every success).
    const s = keyHash === undefined ? undefined : this.key(keyHash)
    const wasResting = s !== undefined && (s.restUntil !== 0 || s.models?.has(model) === true)
    const c = this.circuit(providerId, model)
    const wasOpen = c.open
    super.succeeded(keyHash, providerId, model, now, usage)
    if (wasResting) this.shareKey(keyHash!, now)
    if (wasOpen) this.shareCircuit(providerId, model, now)
  }

  override restModel(keyHash: string, model: string, now: number, retryAfterSec: number | undefined): void {
    super.restModel(keyHash, model, now, retryAfterSec)
    this.shareKey(keyHash, now)
  }

  override restKey(keyHash: string, now: number, retryAfterSec: number | undefined): void {
    super.restKey(keyHash, now, retryAfterSec)
    this.shareKey(keyHash, now)
  }

  override disableKey(keyHash: string, now: number, reason: string): void {
    super.disableKey(keyHash, now, reason)
    this.shareKey(keyHash, now)
  }

  override enableKey(keyHash: string): void {
    super.enableKey(keyHash)
    this.shareKey(keyHash, Date.now())
  }

  override circuitFailed(providerId: string, model: string, now: number): void {
    const c = this.circuit(providerId, model)
    const before = c.openUntil
    super.circuitFailed(providerId, model, now)
    if (c.openUntil !== before) this.shareCircuit(providerId, model, now)
  }

  override providerUp(providerId: string): void {
    const open = [...this.circuits(providerId)].filter(([, c]) => c.open).map(([m]) => m)
    super.providerUp(providerId)
    const now = Date.now()
    for (const m of open) this.shareCircuit(providerId, m, now)
  }

  /** Loads every shared record newer than ours and writes ours that are newer (on every connection). */
  async resync(): Promise<void> {
    const r = this.link.cmd
    const [keys, circuits] = await Promise.all([r.hgetall(KEYS_HASH), r.hgetall(CIRCUITS_HASH)])
    const remoteKeyAt = new Map<string, number>()
    for (const [k, text] of Object.entries(keys)) {
      const v = parse(text)
      if (!isSharedKey(v)) continue
      remoteKeyAt.set(k, v.at)
      if (v.at > (this.keyAt.get(k) ?? -1)) this.applyKey(k, v)
    }
    const remoteCircuitAt = new Map<string, number>()
    for (const [f, text] of Object.entries(circuits)) {
      const v = parse(text)
      if (!isSharedCircuit(v)) continue
      remoteCircuitAt.set(f, v.at)
      const [p, m] = splitField(f)
      if (v.at > (this.circuitAt.get(f) ?? -1)) this.applyCircuit(p, m, v)
    }
    for (const [k, at] of this.keyAt) if (at > (remoteKeyAt.get(k) ?? -1)) this.shareKey(k, at)
    for (const [f, at] of this.circuitAt) {
      if (at > (remoteCircuitAt.get(f) ?? -1)) {
        const [p, m] = splitField(f)
        this.shareCircuit(p, m, at)
      }
    }
  }

  private shareKey(keyHash: string, now: number): void {
    const at = Math.max(now, (this.keyAt.get(keyHash) ?? 0) + 1)
    this.keyAt.set(keyHash, at)
    if (!this.link.up) return
    const v = sharedKey(this.key(keyHash), at)
    this.link.cmd.hset(KEYS_HASH, keyHash, JSON.stringify(v)).catch(() => {})
    this.link.publish('key', { k: keyHash, s: v })
  }

  private shareCircuit(providerId: string, model: string, now: number): void {
    const f = `${providerId}\n${model}`
    const at = Math.max(now, (this.circuitAt.get(f) ?? 0) + 1)
    this.circuitAt.set(f, at)
    if (!this.link.up) return
    const c = this.circuit(providerId, model)
    const v: SharedCircuit = { open: c.open, openUntil: c.openUntil, opens: c.opens, at }
    this.link.cmd.hset(CIRCUITS_HASH, f, JSON.stringify(v)).catch(() => {})
    this.link.publish('circuit', { p: providerId, m: model, s: v })
  }

  private applyKeyMessage(m: ClusterMessage): void {
    if (typeof m.k === 'string' && isSharedKey(m.s) && m.s.at > (this.keyAt.get(m.k) ?? -1)) this.applyKey(m.k, m.s)
  }

  private applyCircuitMessage(m: ClusterMessage): void {
    if (typeof m.p !== 'string' || typeof m.m !== 'string' || !isSharedCircuit(m.s)) return
    if (m.s.at > (this.circuitAt.get(`${m.p}\n${m.m}`) ?? -1)) this.applyCircuit(m.p, m.m, m.s)
  }

  private applyKey(keyHash: string, v: SharedKey): void {
    const s = this.key(keyHash)
    s.restUntil = v.restUntil
    s.restHard = v.restHard
    s.strikes = v.strikes
    s.disabledReason = v.disabledReason
    s.disabledAt = v.disabledAt
    const models = new Map<string, ModelRest>()
    for (const [m, until, strikes, hard] of v.models) models.set(m, { until, strikes, hard })
    s.models = models.size ? models : null
    s.dirty = true
    this.keyAt.set(keyHash, v.at)
  }

  private applyCircuit(providerId: string, model: string, v: SharedCircuit): void {
    const c: CircuitState = this.circuit(providerId, model)
    if (v.open) {
      c.open = true
      c.openUntil = v.openUntil
      c.opens = v.opens
    } else if (c.open) {
      c.open = false
      c.opens = 0
      c.openUntil = 0
      c.probing = false
      c.slice.fill(-Infinity)
    }
    this.circuitAt.set(`${providerId}\n${model}`, v.at)
  }
}

function splitField(f: string): [string, string] {
  const i = f.indexOf('\n')
  return [f.slice(0, i), f.slice(i + 1)]
}
