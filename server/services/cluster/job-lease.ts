import { logger } from '../../utils/logger'
import type { RedisLink } from './redis-link'

const LEASE_KEY = 'rosetta:lease:jobs'
/** Renews only a lease this instance holds (atomic: another holder's lease is never extended or taken). */
const RENEW_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`

/**
 * Background jobs (provider probes; retention and rollups have their own PostgreSQL advisory lock)
 * run on one instance at a time: the one holding this lease, a Redis key set with NX and a TTL,
 * renewed every third of it. An instance that dies loses it after `ttlMs`; another takes it at its
 * next try. Without Redis, or while Redis is unreachable, every instance runs its jobs (degraded:
 * the jobs are idempotent, doing one twice costs a little work, skipping it costs correctness).
 */
export class JobLease {
  private held = false
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly link: RedisLink,
    private readonly ttlMs = 15_000,
  ) {}

  /** Whether this instance runs the jobs now. */
  holds(): boolean {
    return this.held || !this.link.up
  }

  /** Whether this instance holds the lease itself (for /health/detailed). */
  get holder(): boolean {
    return this.held
  }

  start(): void {
    const tick = () => void this.tryHold().catch(() => (this.held = false))
    tick()
    this.timer = setInterval(tick, Math.round(this.ttlMs / 3))
    this.timer.unref()
  }

  async tryHold(): Promise<boolean> {
    if (!this.link.up) return (this.held = false)
    const r = this.link.cmd
    const was = this.held
    if (this.held) this.held = Number(await r.eval(RENEW_LUA, 1, LEASE_KEY, this.link.instanceId, this.ttlMs)) === 1
    if (!this.held) this.held = (await r.set(LEASE_KEY, this.link.instanceId, 'PX', this.ttlMs, 'NX')) === 'OK'
    if (this.held !== was) logger.info(this.held ? 'this instance now runs the background jobs' : 'another instance runs the background jobs now', { lease: LEASE_KEY })
    return this.held
  }

  /** Gives the lease up at shutdown so another instance takes over at once. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    if (this.held && this.link.up) await this.link.cmd.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`, 1, LEASE_KEY, this.link.instanceId).catch(() => {})
    this.held = false
  }
}
