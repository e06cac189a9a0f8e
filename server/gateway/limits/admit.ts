import { GatewayError } from '../errors'
import type { Identity } from '../routing/snapshot'
import type { UsageStore } from './usage-store'
import { isRefusal, type Ask, type Refusal, type Ticket } from './reservation'

const NOTHING: Ask = { tokens: 0, usd: 0 }

/**
 * The admission check for client keys, before a request goes upstream: expiry, requests and tokens
 * per minute, token and USD budgets per UTC day and month, counting what requests in flight hold.
 * An admitted client request gets a ticket that must be settled when its answer ends (the proxy's
 * `finally`); the admin key gets none. `ask` (the request's estimate) is only computed for keys with
 * a token or USD limit. The error says which limit stopped the request and when to retry.
 */
export type Admission = GatewayError | Ticket | undefined

/** A store that decides at once (in memory): its admission is never a promise. */
type LocalUsageStore = UsageStore & { reserve(name: string, limits: Identity['limits'], ask: Ask, now: number): Ticket | Refusal }

export function admitClient(store: LocalUsageStore, who: Identity, ask: () => Ask, now: number): Admission
export function admitClient(store: UsageStore, who: Identity, ask: () => Ask, now: number): Admission | Promise<Admission>
export function admitClient(store: UsageStore, who: Identity, ask: () => Ask, now: number): Admission | Promise<Admission> {
  if (who.kind !== 'client') return undefined
  const l = who.limits
  if (l?.expiresAt !== undefined && now >= l.expiresAt)
    return new GatewayError('authentication', `this API key expired at ${new Date(l.expiresAt).toISOString()}`)
  const spends = l && (l.tpm ?? l.dayTokens ?? l.monthTokens ?? l.dayUsd ?? l.monthUsd) !== undefined
  const r = store.reserve(who.name, l, spends ? ask() : NOTHING, now)
  const answer = (x: Ticket | Refusal): Admission => (isRefusal(x) ? refusalError(who.name, x) : x)
  return r instanceof Promise ? r.then(answer) : answer(r)
}

function refusalError(name: string, r: Refusal): GatewayError {
  const k = `API key '${name}'`
  const inFlight = r.held > 0 ? (r.limit.endsWith('Usd') ? ` (+$${r.held.toFixed(4)} reserved by requests in flight)` : ` (+${Math.round(r.held)} reserved by requests in flight)`) : ''
  const opts = { retryAfter: r.retryAfter }
  // Only requests in flight stand in the way: it frees up when they end, so it is a rate limit, not a spent quota.
  const kind = r.used >= r.max ? ('quota' as const) : ('rate_limit' as const)
  const spent = r.used >= r.max ? 'spent' : 'reached'
  switch (r.limit) {
    case 'rpm':
      return new GatewayError('rate_limit', `rate limit reached: ${k} may make ${r.max} requests per minute`, opts)
    case 'tpm':
      return new GatewayError('rate_limit', `token rate limit reached: ${k} may use ${r.max} tokens per minute; used ${Math.round(r.used)}${inFlight}`, opts)
    case 'dayTokens':
      return new GatewayError(kind, `daily token budget ${spent}: ${k} may use ${r.max} tokens per day (UTC); used ${r.used}${inFlight}`, opts)
    case 'dayUsd':
      return new GatewayError(kind, `daily cost budget ${spent}: ${k} may spend $${r.max} per day (UTC); spent $${r.used.toFixed(4)}${inFlight}`, opts)
    case 'monthTokens':
      return new GatewayError(kind, `monthly token budget ${spent}: ${k} may use ${r.max} tokens per month (UTC); used ${r.used}${inFlight}`, opts)
    case 'monthUsd':
      return new GatewayError(kind, `monthly cost budget ${spent}: ${k} may spend $${r.max} per month (UTC); spent $${r.used.toFixed(4)}${inFlight}`, opts)
  }
}
