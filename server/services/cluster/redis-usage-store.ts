import { randomBytes } from 'node:crypto'
import type { ClientLimits } from '../../gateway/limits/client-limits'
import { MemoryUsageStore } from '../../gateway/limits/memory-usage-store'
import { reserveIn, secondsToNextUtcDay, secondsToNextUtcMonth, settleIn, type Ask, type LimitName, type Refusal, type Spent, type Ticket } from '../../gateway/limits/reservation'
import { roll, utcDay, utcMonth, type ClientUsage, type UsageStore } from '../../gateway/limits/usage-store'
import { logger } from '../../utils/logger'
import type { RedisLink } from './redis-link'
import { RESERVE_LUA, SEED_LUA, SETTLE_LUA } from './usage-scripts'
import { luaScript, runScript, type LuaScript } from './lua-script'

/** An admitted request's hold expires after this long if it is never settled (its instance died). */
export const HOLD_MS = 15 * 60_000

const RESERVE = luaScript(RESERVE_LUA)
const SETTLE = luaScript(SETTLE_LUA)
const SEED = luaScript(SEED_LUA)

/** Names the life of one Redis data set: a Redis restarted empty has none, and the first instance back sets a new one. */
export const GENERATION_KEY = 'rosetta:generation'

const LIMITS = new Set<string>(['rpm', 'tpm', 'dayTokens', 'dayUsd', 'monthTokens', 'monthUsd'])

/**
 * Client-key limits shared by every instance: one Lua script per admission (reserve) and per end of
 * request (settle), so rpm/tpm windows and day/month budgets are exact with every request of every
 * instance in flight at once. The local MemoryUsageStore keeps this instance's counters for the admin
 * views and is the fallback while Redis is unreachable: then each instance limits on what it knows
 * (its own requests, plus the shared day/month totals it last saw), and the request is never refused
 * for Redis being away. Usage settled during an outage is booked to Redis when it answers again.
 */
export class RedisUsageStore implements UsageStore {
  readonly local = new MemoryUsageStore()
  /** Admissions decided locally because Redis did not answer (for /metrics and /health/detailed). */
  fallbacks = 0
  /** Settlements made while Redis was away, booked when it answers (bounded: past the bound the oldest are dropped). */
  private pending: Array<{ keys: string[]; args: Array<string | number> }> = []
  /**
   * Requests admitted here without Redis (it was away or did not answer), per client key and epoch
   * second: booked into the shared rpm window when Redis answers again, so the outage's requests
   * still count for the rest of their minute.
   */
  private localAdmissions = new Map<string, Map<number, number>>()
  /** The Redis generation this instance last booked into (null before its first connection). */
  private generation: string | null = null
  /**
   * Reads today's and this month's usage from the request log and seeds it (SecurityState sets it).
   * Run when Redis comes back with a generation this instance has not seen: Redis lost its data.
   */
  reseed: (() => Promise<void>) | undefined

  constructor(private readonly link: RedisLink) {}

  usage(name: string): ClientUsage {
    return this.local.usage(name)
  }

  entries(): IterableIterator<[string, ClientUsage]> {
    return this.local.entries()
  }

  reserve(name: string, limits: ClientLimits | undefined, ask: Ask, now: number): Ticket | Refusal | Promise<Ticket | Refusal> {
    // No limit at all: nothing to decide together; counted locally (and its usage booked on settle).
    if (!limits || !this.link.up || Object.keys(limits).every((k) => k === 'expiresAt')) return this.reserveLocally(name, limits, ask, now)
    return this.reserveShared(name, limits, ask, now)
  }

  settle(ticket: Ticket, spent: Spent, now: number): void {
    if (!ticket.open) return
    settleIn(this.local.usage(ticket.name), ticket, spent, now)
    if (ticket.id === undefined && spent.tokens <= 0 && spent.usd <= 0) return
    const k = keysOf(ticket.name, now)
    const args = [ticket.id ?? '', now, spent.tokens, spent.usd]
    if (!this.link.up) {
      this.keep({ keys: [k.holds, k.tok, k.day, k.month], args })
      return
    }
    this.run(SETTLE, [k.holds, k.tok, k.day, k.month], args).catch((e: Error) => {
      this.keep({ keys: [k.holds, k.tok, k.day, k.month], args })
      logger.warn('client-key usage not booked in redis yet (kept to retry)', { clientKey: ticket.name, error: e.message })
    })
  }

  private keep(p: { keys: string[]; args: Array<string | number> }): void {
    if (this.pending.length >= 100_000) this.pending.shift()
    this.pending.push(p)
  }

  /**
   * Every connection (RedisLink.onUp). Same generation as before: Redis kept its data, so book what
   * was settled meanwhile. A new generation: Redis restarted empty (or this instance never reached
   * it since boot); the request log is the truth and already holds what was settled meanwhile, so
   * the pending bookings are dropped (booking them too would count them twice) and the day and
   * month totals are seeded from the log.
   */
  async resync(): Promise<void> {
    const gen = await this.claimGeneration()
    const known = this.generation
    this.generation = gen
    if (known === null || known === gen) {
      await this.flushPending()
      await this.bookLocalAdmissions(Date.now())
      return
    }
    logger.warn('redis came back without its data: day and month budgets re-seeded from the request log, rpm/tpm windows from the instances', { dropped: this.pending.length })
    this.pending = []
    this.localAdmissions.clear()
    await this.reseed?.()
    await this.restoreWindows(Date.now())
  }

  /**
   * Redis came back without its data: this instance's requests and tokens of the last 60 s (its own
   * rings, which count every request it admitted, shared or not) go back into the shared rpm/tpm
   * windows. Every instance adds its own, so the windows hold the cluster's minute again instead of
   * starting from zero (a client would otherwise get a fresh minute from a Redis restart).
   */
  private async restoreWindows(now: number): Promise<void> {
    const p = this.link.cmd.pipeline()
    let n = 0
    for (const [name, u] of this.local.entries()) {
      roll(u, now)
      const k = keysOf(name, now)
      for (let sec = u.sec - 59; sec <= u.sec; sec++) {
        const req = u.reqRing[sec % 60]!
        const tok = u.tokRing[sec % 60]!
        if (req > 0) p.hincrby(k.req, String(sec), req)
        if (tok > 0) p.hincrbyfloat(k.tok, String(sec), tok)
        if (req > 0 || tok > 0) n++
      }
      p.expire(k.req, 120)
      p.expire(k.tok, 120)
    }
    if (n > 0) await p.exec()
  }

  /** Redis kept its data: the requests admitted here while it was away join the shared rpm window. */
  private async bookLocalAdmissions(now: number): Promise<void> {
    if (this.localAdmissions.size === 0) return
    const oldest = Math.floor(now / 1000) - 59
    const p = this.link.cmd.pipeline()
    for (const [name, bySec] of this.localAdmissions) {
      const k = keysOf(name, now)
      for (const [sec, count] of bySec) if (sec >= oldest) p.hincrby(k.req, String(sec), count)
      p.expire(k.req, 120)
    }
    this.localAdmissions.clear()
    await p.exec()
  }

  /** An admission decided here without Redis, for bookLocalAdmissions. */
  private admittedLocally(name: string, now: number): void {
    const sec = Math.floor(now / 1000)
    let bySec = this.localAdmissions.get(name)
    if (!bySec) this.localAdmissions.set(name, (bySec = new Map<number, number>()))
    bySec.set(sec, (bySec.get(sec) ?? 0) + 1)
    // Bounded: only the last minute matters.
    if (bySec.size > 120) for (const s of bySec.keys()) if (s < sec - 60) bySec.delete(s)
  }

  /** The value of rosetta:generation, set to a fresh random one if Redis does not have it (it never expires, so only a Redis that lost its data lacks it). */
  private async claimGeneration(): Promise<string> {
    const mine = randomBytes(9).toString('base64url')
    await this.link.cmd.set(GENERATION_KEY, mine, 'NX')
    return (await this.link.cmd.get(GENERATION_KEY)) ?? mine
  }

  /** Books what was settled during an outage (RedisLink.onUp). */
  async flushPending(): Promise<void> {
    const batch = this.pending.splice(0, this.pending.length)
    for (const p of batch) await this.run(SETTLE, p.keys, p.args)
  }

  /** Today's and this month's usage from the request log, for periods no instance has put in Redis yet. */
  async seed(name: string, used: { dayTokens: number; dayUsd: number; monthTokens: number; monthUsd: number }, now: number): Promise<void> {
    const k = keysOf(name, now)
    await this.run(SEED, [k.day, k.month], [used.dayTokens, used.dayUsd, used.monthTokens, used.monthUsd])
  }

  private reserveLocally(name: string, limits: ClientLimits | undefined, ask: Ask, now: number): Ticket | Refusal {
    const r = reserveIn(this.local.usage(name), name, limits, ask, now)
    if (limits && this.link.up === false) {
      this.fallbacks++
      if (limits.rpm !== undefined && 'open' in r) this.admittedLocally(name, now)
    }
    return r
  }

  private async reserveShared(name: string, l: ClientLimits, ask: Ask, now: number): Promise<Ticket | Refusal> {
    const k = keysOf(name, now)
    const id = randomBytes(9).toString('base64url')
    const n = (v: number | undefined) => (v === undefined ? -1 : v)
    let reply: unknown
    try {
      reply = await this.run(RESERVE, [k.req, k.tok, k.holds, k.day, k.month], [now, n(l.rpm), n(l.tpm), n(l.dayTokens), n(l.dayUsd), n(l.monthTokens), n(l.monthUsd), ask.tokens, ask.usd, id, HOLD_MS, secondsToNextUtcDay(now), secondsToNextUtcMonth(now)])
    } catch (e) {
      logger.debug('redis admission failed: deciding locally', { clientKey: name, error: (e as Error).message })
      this.fallbacks++
      const t = reserveIn(this.local.usage(name), name, l, ask, now)
      if (l.rpm !== undefined && 'open' in t) this.admittedLocally(name, now)
      return t
    }
    const r = Array.isArray(reply) ? reply.map(String) : []
    const u = this.local.usage(name)
    if (r[0] === 'ok') {
      // Counted locally without limits (the shared decision was made), then the shared period totals
      // seen now: the fallback's starting point should Redis go away.
      const t = reserveIn(u, name, undefined, ask, now) as Ticket
      u.dayTokens = Number(r[1])
      u.dayUsd = Number(r[2])
      u.monthTokens = Number(r[3])
      u.monthUsd = Number(r[4])
      t.id = id
      return t
    }
    if (r[0] !== undefined && LIMITS.has(r[0])) {
      u.refused++
      return { limit: r[0] as LimitName, max: Number(r[1]), used: Number(r[2]), held: Number(r[3]), retryAfter: Number(r[4]) }
    }
    throw new Error(`unexpected answer from the admission script: ${JSON.stringify(reply)}`)
  }

  private run(s: LuaScript, keys: string[], args: Array<string | number>): Promise<unknown> {
    return runScript(this.link.cmd, s, keys, args)
  }
}

/** The Redis keys of one client key's counters ({name} keeps them in one hash slot). */
function keysOf(name: string, now: number) {
  const base = `rosetta:u:{${name}}`
  const d = new Date(now)
  return { req: `${base}:req`, tok: `${base}:tok`, holds: `${base}:holds`, day: `${base}:day:${utcDay(d)}`, month: `${base}:month:${utcMonth(d)}` }
}
