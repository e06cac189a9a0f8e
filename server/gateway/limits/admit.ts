import { GatewayError } from '../errors'
import type { Identity } from '../routing/snapshot'
import type { LogSink, RequestLogEntry } from '../log-entry'
import { roll, secondsUntilFree, sumRing, type UsageStore } from './usage-store'

/**
 * The admission check for client keys, before a request goes upstream: expiry, requests and tokens
 * per minute, token and USD budgets per UTC day and month. Free for keys without limits. The error
 * says which limit stopped the request and when to retry.
 */
export function admitClient(store: UsageStore, who: Identity, now: number): GatewayError | undefined {
  const l = who.limits
  if (!l) {
    if (who.kind === 'client') store.usage(who.name).requests++
    return undefined
  }
  if (l.expiresAt !== undefined && now >= l.expiresAt)
    return new GatewayError('authentication', `this API key expired at ${new Date(l.expiresAt).toISOString()}`)
  const u = store.usage(who.name)
  roll(u, now)
  const k = `API key '${who.name}'`
  if (l.rpm !== undefined && sumRing(u.reqRing) >= l.rpm)
    return new GatewayError('rate_limit', `rate limit reached: ${k} may make ${l.rpm} requests per minute`, { retryAfter: secondsUntilFree(u.reqRing, u.sec) })
  if (l.tpm !== undefined && sumRing(u.tokRing) >= l.tpm)
    return new GatewayError('rate_limit', `token rate limit reached: ${k} may use ${l.tpm} tokens per minute`, { retryAfter: secondsUntilFree(u.tokRing, u.sec) })
  const toDay = secondsToNextUtcDay(now)
  if (l.dayTokens !== undefined && u.dayTokens >= l.dayTokens)
    return new GatewayError('quota', `daily token budget spent: ${k} may use ${l.dayTokens} tokens per day (UTC); used ${u.dayTokens}`, { retryAfter: toDay })
  if (l.dayUsd !== undefined && u.dayUsd >= l.dayUsd)
    return new GatewayError('quota', `daily cost budget spent: ${k} may spend $${l.dayUsd} per day (UTC); spent $${u.dayUsd.toFixed(4)}`, { retryAfter: toDay })
  const toMonth = secondsToNextUtcMonth(now)
  if (l.monthTokens !== undefined && u.monthTokens >= l.monthTokens)
    return new GatewayError('quota', `monthly token budget spent: ${k} may use ${l.monthTokens} tokens per month (UTC); used ${u.monthTokens}`, { retryAfter: toMonth })
  if (l.monthUsd !== undefined && u.monthUsd >= l.monthUsd)
    return new GatewayError('quota', `monthly cost budget spent: ${k} may spend $${l.monthUsd} per month (UTC); spent $${u.monthUsd.toFixed(4)}`, { retryAfter: toMonth })
  u.reqRing[u.sec % 60]!++
  u.requests++
  return undefined
}

function secondsToNextUtcDay(now: number): number {
  const d = new Date(now)
  return Math.ceil((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now) / 1000)
}

function secondsToNextUtcMonth(now: number): number {
  const d = new Date(now)
  return Math.ceil((Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - now) / 1000)
}

/** Accounts finished requests' tokens and cost to their client key (a LogSink: off the request's path). */
export class UsageAccountant implements LogSink {
  constructor(private readonly store: UsageStore) {}

  push(e: RequestLogEntry): void {
    if (!e.clientKey) return
    const tokens = e.usage ? e.usage.inputTokens + e.usage.outputTokens : 0
    const cost = e.costUsd ?? 0
    if (tokens === 0 && cost === 0) return
    const u = this.store.usage(e.clientKey)
    const now = Date.now()
    roll(u, now)
    u.tokRing[u.sec % 60]! += tokens
    u.dayTokens += tokens
    u.monthTokens += tokens
    u.dayUsd += cost
    u.monthUsd += cost
    u.tokens += tokens
    u.lastUsed = now
  }
}
