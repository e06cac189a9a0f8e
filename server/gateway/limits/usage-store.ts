import type { ClientLimits } from './client-limits'
import type { Ask, Refusal, Spent, Ticket } from './reservation'

/**
 * Per-client-key usage counters behind a small interface (like pool/state-store.ts): in memory
 * (memory-usage-store.ts), or shared by every instance in Redis (services/cluster/redis-usage-store.ts).
 * Admission and accounting go through `reserve` and `settle` only, so the shared one makes each an
 * atomic script; only it answers `reserve` with a promise (one round trip, the only one on the request path).
 */
export interface ClientUsage {
  /** Requests and tokens per second over the last 60 s (ring buffers indexed by epoch second). */
  reqRing: Uint32Array
  tokRing: Float64Array
  /** The epoch second the rings were last advanced to. */
  sec: number
  /** UTC day (YYYYMMDD) and month (YYYYMM) the period counters belong to. */
  day: number
  month: number
  dayTokens: number
  monthTokens: number
  dayUsd: number
  monthUsd: number
  /**
   * Reserved by admitted requests still running (estimated prompt + output limit, and its price):
   * counted against tpm and every budget until the request settles with its real usage.
   */
  heldTokens: number
  heldUsd: number
  /** Requests admitted and not yet settled. */
  inFlight: number
  requests: number
  /** Requests this store refused (a rate limit or budget reached), since the process started: kept apart from `requests`. */
  refused: number
  tokens: number
  lastUsed: number
}

export interface UsageStore {
  usage(name: string): ClientUsage
  entries(): IterableIterator<[string, ClientUsage]>
  /**
   * Admission for key `name`: refused when a limit is reached counting what is held by requests in
   * flight; else `ask` is held until `settle`. Never exceeds a budget by more than one reservation.
   */
  reserve(name: string, limits: ClientLimits | undefined, ask: Ask, now: number): Ticket | Refusal | Promise<Ticket | Refusal>
  /** Releases a ticket's reservation and books the real usage (in the background for a shared store); a second call for a ticket does nothing. */
  settle(ticket: Ticket, spent: Spent, now: number): void
  /** A shared store: today's and this month's usage from the request log, for periods it has not counted yet. */
  seed?(name: string, used: { dayTokens: number; dayUsd: number; monthTokens: number; monthUsd: number }, now: number): Promise<void>
}

export function newUsage(): ClientUsage {
  return { reqRing: new Uint32Array(60), tokRing: new Float64Array(60), sec: 0, day: 0, month: 0, dayTokens: 0, monthTokens: 0, dayUsd: 0, monthUsd: 0, heldTokens: 0, heldUsd: 0, inFlight: 0, requests: 0, refused: 0, tokens: 0, lastUsed: 0 }
}

export const utcDay = (d: Date) => d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate()
export const utcMonth = (d: Date) => d.getUTCFullYear() * 100 + d.getUTCMonth() + 1

/** Moves the rings and the day/month counters forward to `now`, clearing what fell out. */
export function roll(u: ClientUsage, now: number): void {
  const sec = Math.floor(now / 1000)
  if (sec !== u.sec) {
    if (sec - u.sec >= 60 || sec < u.sec) {
      u.reqRing.fill(0)
      u.tokRing.fill(0)
    } else {
      for (let s = u.sec + 1; s <= sec; s++) {
        u.reqRing[s % 60] = 0
        u.tokRing[s % 60] = 0
      }
    }
    u.sec = sec
    const d = new Date(now)
    const day = utcDay(d)
    if (day !== u.day) {
      u.day = day
      u.dayTokens = 0
      u.dayUsd = 0
      const month = utcMonth(d)
      if (month !== u.month) {
        u.month = month
        u.monthTokens = 0
        u.monthUsd = 0
      }
    }
  }
}

export function sumRing(r: Uint32Array | Float64Array): number {
  let s = 0
  for (let i = 0; i < 60; i++) s += r[i]!
  return s
}

/** Seconds until the oldest non-empty second of a ring leaves the 60 s window. */
export function secondsUntilFree(r: Uint32Array | Float64Array, sec: number): number {
  for (let age = 59; age >= 0; age--) if (r[(sec - age + 60) % 60]! > 0) return 60 - age
  return 1
}
