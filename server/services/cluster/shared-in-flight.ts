import type { ClusterMessage, RedisLink } from './redis-link'

/** How often an instance repeats its non-zero counts (so others can tell a live count from a dead instance's). */
export const IN_FLIGHT_HEARTBEAT_MS = 5_000
/** Another instance's counts not repeated for this long are dropped (it died, or Redis is away). */
export const IN_FLIGHT_STALE_MS = 15_000

/**
 * Requests in flight per upstream key, summed over the instances, so a key's max-concurrency holds
 * across the cluster. Each instance counts its own and publishes the counts that changed (at most one
 * message per tick, batched), plus every non-zero count each heartbeat; it keeps the others' counts
 * as they arrive. Nothing on the request path waits: the sum is what has arrived, so two instances
 * admitting in the same few milliseconds can together pass the limit by a request or two (exact
 * admission would need a Redis round trip before each upstream call). Counts of an instance not heard
 * from for IN_FLIGHT_STALE_MS are dropped: with Redis away every instance falls back to its own.
 */
export class SharedInFlight {
  private readonly mine = new Map<string, number>()
  /** key hash → instance id → its count and when it arrived. */
  private readonly theirs = new Map<string, Map<string, { n: number; seen: number }>>()
  private readonly dirty = new Set<string>()
  private flushQueued = false
  private readonly timer: NodeJS.Timeout

  /** `onTotal` gets a key's new cluster-wide count whenever another instance's part of it changes. */
  constructor(
    private readonly link: RedisLink,
    private readonly onTotal: (keyHash: string, total: number) => void,
    private readonly staleMs = IN_FLIGHT_STALE_MS,
    heartbeatMs = IN_FLIGHT_HEARTBEAT_MS,
  ) {
    link.on('inflight', (m) => this.receive(m))
    this.timer = setInterval(() => {
      this.heartbeat()
      this.expire(Date.now())
    }, heartbeatMs)
    this.timer.unref()
  }

  /** This instance's count of the key moves by `by`; returns the cluster-wide count. */
  add(keyHash: string, by: 1 | -1): number {
    const n = Math.max(0, (this.mine.get(keyHash) ?? 0) + by)
    if (n === 0) this.mine.delete(keyHash)
    else this.mine.set(keyHash, n)
    this.dirty.add(keyHash)
    if (!this.flushQueued) {
      this.flushQueued = true
      setImmediate(() => this.flush())
    }
    return n + this.others(keyHash)
  }

  /** The other instances' count of the key, as last heard. */
  others(keyHash: string): number {
    let sum = 0
    for (const v of this.theirs.get(keyHash)?.values() ?? []) sum += v.n
    return sum
  }

  stop(): void {
    clearInterval(this.timer)
  }

  private flush(): void {
    this.flushQueued = false
    const c: Record<string, number> = {}
    for (const k of this.dirty) c[k] = this.mine.get(k) ?? 0
    this.dirty.clear()
    this.link.publish('inflight', { c })
  }

  private heartbeat(): void {
    if (this.mine.size > 0) this.link.publish('inflight', { c: Object.fromEntries(this.mine) })
  }

  private receive(m: ClusterMessage): void {
    if (typeof m.c !== 'object' || m.c === null) return
    const now = Date.now()
    for (const [k, v] of Object.entries(m.c as Record<string, unknown>)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) continue
      let byInstance = this.theirs.get(k)
      if (!byInstance) {
        byInstance = new Map()
        this.theirs.set(k, byInstance)
      }
      if (v <= 0) byInstance.delete(m.from)
      else byInstance.set(m.from, { n: v, seen: now })
      if (byInstance.size === 0) this.theirs.delete(k)
      this.onTotal(k, (this.mine.get(k) ?? 0) + this.others(k))
    }
  }

  private expire(now: number): void {
    for (const [k, byInstance] of this.theirs) {
      let dropped = false
      for (const [id, v] of byInstance) {
        if (now - v.seen < this.staleMs) continue
        byInstance.delete(id)
        dropped = true
      }
      if (byInstance.size === 0) this.theirs.delete(k)
      if (dropped) this.onTotal(k, (this.mine.get(k) ?? 0) + this.others(k))
    }
  }
}
