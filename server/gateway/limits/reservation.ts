import type { ClientLimits } from './client-limits'
import { roll, secondsUntilFree, sumRing, type ClientUsage } from './usage-store'

/** What an admitted request holds until it ends: its estimated tokens and their estimated price. */
export interface Ask {
  tokens: number
  usd: number
}

/** What a finished request really used (zero for one that failed before an answer). */
export interface Spent {
  tokens: number
  usd: number
}

/** An admitted request's hold on its key's budgets; settled exactly once (`open` turns false). */
export interface Ticket {
  name: string
  /** The hold's id in the shared store (absent: held in this instance's memory). */
  id?: string
  tokens: number
  usd: number
  open: boolean
}

export type LimitName = 'rpm' | 'tpm' | 'dayTokens' | 'dayUsd' | 'monthTokens' | 'monthUsd'

/** Why a request was refused: the limit, what was used and what requests in flight hold. */
export interface Refusal {
  limit: LimitName
  max: number
  used: number
  held: number
  /** Seconds until retrying can succeed: the window or period moving on, or 1 when only in-flight holds block. */
  retryAfter: number
}

export function isRefusal(r: Ticket | Refusal): r is Refusal {
  return 'limit' in r
}

/**
 * Admission arithmetic. A limit refuses once what was used plus what admitted requests hold reaches
 * it; otherwise the request is admitted and holds `ask`. So a budget is exceeded by at most the last
 * admitted request's reservation (when its real usage stays within its estimate): e.g. 50 parallel
 * requests of 300 reserved tokens against a 1,000-token budget admit 4 (0, 300, 600, 900 < 1,000).
 * A request larger than the whole budget still gets through when nothing else is used or held, so a
 * small tpm never locks out a request with a large max_tokens.
 */
export function reserveIn(u: ClientUsage, name: string, l: ClientLimits | undefined, ask: Ask, now: number): Ticket | Refusal {
  roll(u, now)
  if (l) {
    const held = (limit: LimitName, max: number, used: number, waitForPeriod: number): Refusal | undefined =>
      used + (limit.endsWith('Usd') ? u.heldUsd : u.heldTokens) >= max
        ? { limit, max, used, held: limit.endsWith('Usd') ? u.heldUsd : u.heldTokens, retryAfter: used >= max ? waitForPeriod : 1 }
        : undefined
    if (l.rpm !== undefined) {
      const n = sumRing(u.reqRing)
      if (n >= l.rpm) {
        u.refused++
        return { limit: 'rpm', max: l.rpm, used: n, held: 0, retryAfter: secondsUntilFree(u.reqRing, u.sec) }
      }
    }
    const refusal =
      (l.tpm !== undefined ? held('tpm', l.tpm, sumRing(u.tokRing), secondsUntilFree(u.tokRing, u.sec)) : undefined) ??
      (l.dayTokens !== undefined ? held('dayTokens', l.dayTokens, u.dayTokens, secondsToNextUtcDay(now)) : undefined) ??
      (l.dayUsd !== undefined ? held('dayUsd', l.dayUsd, u.dayUsd, secondsToNextUtcDay(now)) : undefined) ??
      (l.monthTokens !== undefined ? held('monthTokens', l.monthTokens, u.monthTokens, secondsToNextUtcMonth(now)) : undefined) ??
      (l.monthUsd !== undefined ? held('monthUsd', l.monthUsd, u.monthUsd, secondsToNextUtcMonth(now)) : undefined)
    if (refusal) {
      u.refused++
      return refusal
    }
  }
  u.heldTokens += ask.tokens
  u.heldUsd += ask.usd
  u.inFlight++
  u.reqRing[u.sec % 60]!++
  u.requests++
  return { name, tokens: ask.tokens, usd: ask.usd, open: true }
}

/** Releases the ticket's hold and books the real usage to the minute ring, the day and the month. */
export function settleIn(u: ClientUsage, t: Ticket, spent: Spent, now: number): void {
  if (!t.open) return
  t.open = false
  u.inFlight = Math.max(0, u.inFlight - 1)
  // With nothing in flight the holds are exactly zero (no floating-point dust left behind).
  u.heldTokens = u.inFlight ? Math.max(0, u.heldTokens - t.tokens) : 0
  u.heldUsd = u.inFlight ? Math.max(0, u.heldUsd - t.usd) : 0
  roll(u, now)
  u.tokRing[u.sec % 60]! += spent.tokens
  u.dayTokens += spent.tokens
  u.monthTokens += spent.tokens
  u.dayUsd += spent.usd
  u.monthUsd += spent.usd
  u.tokens += spent.tokens
  u.lastUsed = now
}

export function secondsToNextUtcDay(now: number): number {
  const d = new Date(now)
  return Math.ceil((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now) / 1000)
}

export function secondsToNextUtcMonth(now: number): number {
  const d = new Date(now)
  return Math.ceil((Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - now) / 1000)
}
