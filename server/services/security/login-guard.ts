/**
 * Failed-login rate limit per client IP: after `max` failures within `windowMs`, further attempts
 * (even correct ones: otherwise the refusal itself would tell a right guess from a wrong one) are
 * refused until the oldest failure leaves the window. Used for form logins, failed Bearer/x-api-key
 * admin credentials and wrong client keys on the public doors (one instance each; in cluster mode
 * failures and successes travel to every instance, so guessing through several instances does not help).
 */
export class LoginGuard {
  private readonly failures = new Map<string, number[]>()
  /** Cluster mode: each failure and success is published so every instance counts them (services/cluster). */
  onFail: ((ip: string, at: number) => void) | undefined
  onSucceed: ((ip: string) => void) | undefined

  constructor(
    readonly max = 5,
    readonly windowMs = 60_000,
  ) {}

  /** Seconds to wait when `ip` is blocked now, else 0. */
  blockedFor(ip: string, now = Date.now()): number {
    // The public doors ask this on every request: no allocation when the address has no failures.
    if (!this.failures.has(ip)) return 0
    const list = this.prune(ip, now)
    if (!list.length) this.failures.delete(ip)
    if (list.length < this.max) return 0
    return Math.max(1, Math.ceil((list[0]! + this.windowMs - now) / 1000))
  }

  fail(ip: string, now = Date.now()): void {
    this.count(ip, now)
    this.onFail?.(ip, now)
  }

  /** A failure seen by another instance (counted here, not published again). */
  count(ip: string, now: number): void {
    const list = this.prune(ip, now)
    list.push(now)
    list.sort((a, b) => a - b)
    this.failures.set(ip, list)
    // Bounded memory: a flood of distinct addresses must not grow the map without end.
    if (this.failures.size > 10_000) for (const k of this.failures.keys()) if (!this.prune(k, now).length) this.failures.delete(k)
  }

  succeed(ip: string): void {
    this.forget(ip)
    this.onSucceed?.(ip)
  }

  /** A success seen by another instance. */
  forget(ip: string): void {
    this.failures.delete(ip)
  }

  private prune(ip: string, now: number): number[] {
    const list = this.failures.get(ip) ?? []
    while (list.length && list[0]! <= now - this.windowMs) list.shift()
    return list
  }
}
