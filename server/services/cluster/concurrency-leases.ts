import { logger } from '../../utils/logger'
import type { RedisLink } from './redis-link'
import { luaScript, runScript } from './lua-script'

/** A lease not renewed for this long is gone: the slots of a killed instance come back after it. */
export const LEASE_TTL_MS = 15_000
/** How often an instance renews the leases of its requests still running (streams last minutes). */
export const LEASE_RENEW_MS = 5_000

/**
 * KEYS: the key's lease set. ARGV: the cap, the lease id, the TTL in ms.
 * Drops expired leases, then admits when fewer than the cap are left: one atomic step, so any number
 * of instances claiming at once never hold more than the cap. Redis's own clock dates the leases
 * (instances' clocks may differ). Returns {1, count} when admitted, {0, count} when full.
 */
const CLAIM_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local n = redis.call('ZCARD', KEYS[1])
if n >= tonumber(ARGV[1]) then return {0, n} end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return {1, n + 1}
`

/**
 * KEYS: the key's lease set. ARGV: the TTL in ms, then lease ids. Pushes the leases' expiry out, and
 * puts back any that are missing: after Redis came back empty, the requests still running here count
 * again at once, so the cap stays exact.
 */
const RENEW_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + ttl, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ttl)
return #ARGV - 1
`

const CLAIM = luaScript(CLAIM_LUA)
const RENEW = luaScript(RENEW_LUA)

const setOf = (keyHash: string) => `rosetta:conc:{${keyHash}}`

/**
 * Exact admission for upstream keys that have a max-concurrency, over every instance: each request
 * sent to such a key holds a lease in a Redis sorted set (one per key) from before its upstream call
 * until it ends. Claiming is one Lua script (count the live leases, add ours if below the cap).
 * Leases expire unless renewed, so those of an instance killed mid-request free themselves within
 * LEASE_TTL_MS. Keys without a cap never come here (no round trip). With Redis away a claim is
 * admitted: the instance falls back to its own count (degraded, not down), as the other shared state.
 */
export class ConcurrencyLeases {
  /** key hash → the ids of this instance's live leases on it. */
  private readonly mine = new Map<string, string[]>()
  private seq = 0
  private readonly timer: NodeJS.Timeout
  /** Claims admitted without Redis (it was away or did not answer in time). */
  fallbacks = 0

  constructor(
    private readonly link: RedisLink,
    private readonly ttlMs = LEASE_TTL_MS,
    renewMs = LEASE_RENEW_MS,
  ) {
    this.timer = setInterval(() => void this.renew(), renewMs)
    this.timer.unref()
    // Back after an outage (maybe empty): what runs here counts again right away.
    link.onUp(() => this.renew())
  }

  /** Takes a slot of the key if fewer than `max` are held over the cluster; false when it is full. */
  async claim(keyHash: string, max: number): Promise<boolean> {
    if (!this.link.up) {
      this.fallbacks++
      return true
    }
    const id = `${this.link.instanceId}:${++this.seq}`
    let reply: unknown
    try {
      reply = await runScript(this.link.cmd, CLAIM, [setOf(keyHash)], [max, id, this.ttlMs])
    } catch (e) {
      this.fallbacks++
      logger.warn('concurrency lease not claimed in Redis: admitted on the local count', { error: (e as Error).message })
      return true
    }
    if (!Array.isArray(reply) || Number(reply[0]) !== 1) return false
    const ids = this.mine.get(keyHash)
    if (ids) ids.push(id)
    else this.mine.set(keyHash, [id])
    return true
  }

  /** Gives back one of this instance's slots of the key (nothing if it holds none: not claimed, or admitted locally). */
  release(keyHash: string): void {
    const ids = this.mine.get(keyHash)
    const id = ids?.pop()
    if (id === undefined) return
    if (ids!.length === 0) this.mine.delete(keyHash)
    // Not awaited: a release Redis does not get expires with its lease.
    if (this.link.up) this.link.cmd.zrem(setOf(keyHash), id).catch(() => {})
  }

  /** Leases this instance holds now (the tests read it). */
  held(keyHash?: string): number {
    if (keyHash !== undefined) return this.mine.get(keyHash)?.length ?? 0
    let n = 0
    for (const ids of this.mine.values()) n += ids.length
    return n
  }

  stop(): void {
    clearInterval(this.timer)
  }

  private async renew(): Promise<void> {
    if (!this.link.up) return
    await Promise.all(
      [...this.mine].map(([keyHash, ids]) =>
        runScript(this.link.cmd, RENEW, [setOf(keyHash)], [this.ttlMs, ...ids]).catch((e: Error) => logger.warn('concurrency leases not renewed', { error: e.message })),
      ),
    )
  }
}
