import { randomBytes } from 'node:crypto'
import type { SqlDb } from '../db/sql-db'
import { listAdminTokens, type AdminTokenRow } from '../db/admin-tokens-repo'
import { deleteSessions, insertSession, loadLiveSessions, type SessionRow } from '../db/sessions-repo'
import { insertAudit, type AuditRecord } from '../db/audit-repo'
import { usageSince } from '../db/client-keys-repo'
import { roll, utcDay, utcMonth, type UsageStore } from '../../gateway/limits/usage-store'
import { MemoryUsageStore } from '../../gateway/limits/memory-usage-store'
import { LoginGuard } from './login-guard'
import { hashKey } from './hashing'
import { redactSecrets } from './redact'
import { logger } from '../../utils/logger'
import type { Principal } from './roles'

export const SESSION_COOKIE = 'rosetta_session'
/**
 * Wrong keys per minute one address may send to the public doors before all its requests get a 429:
 * more room than the admin side's 5, because a client with a stale key retrying is common there.
 */
export const CLIENT_KEY_FAILURES_PER_MINUTE = 30
export const SESSION_TTL_MS = 12 * 3600_000

/**
 * The security side of the server, loaded once at boot and kept in memory so no admin request and
 * no proxied request needs a query to know who is calling: admin tokens, live sessions, the
 * failed-login guard, client-key usage counters, and the audit writer.
 */
export class SecurityState {
  /** sha256 of the token → the token. */
  tokens = new Map<string, AdminTokenRow>()
  /** sha256 of the session id → the session. */
  sessions = new Map<string, SessionRow>()
  readonly loginGuard = new LoginGuard()
  /** Wrong admin keys/tokens sent as Bearer or x-api-key (REST admin, tRPC, /health/detailed, /metrics). */
  readonly adminAuthGuard = new LoginGuard()
  /** Wrong keys on the public /v1 doors (the admin key works there too, so guessing is throttled there as well). */
  readonly clientKeyGuard = new LoginGuard(CLIENT_KEY_FAILURES_PER_MINUTE)
  readonly usage: UsageStore
  /** Cluster mode: sessions or admin tokens changed here (the other instances reload theirs from the database). */
  onChange: ((what: 'sessions' | 'tokens') => void) | undefined

  constructor(
    private readonly db: SqlDb,
    usage?: UsageStore,
  ) {
    this.usage = usage ?? new MemoryUsageStore()
  }

  static async load(db: SqlDb, usage?: UsageStore): Promise<SecurityState> {
    const s = new SecurityState(db, usage)
    await s.loadTokens()
    await s.loadSessions()
    await s.seedUsage()
    return s
  }

  /** After a change of admin tokens: this instance's map, then the others'. */
  async reloadTokens(): Promise<void> {
    await this.loadTokens()
    this.onChange?.('tokens')
  }

  async loadTokens(): Promise<void> {
    const m = new Map<string, AdminTokenRow>()
    for (const t of await listAdminTokens(this.db)) m.set(t.tokenHash, t)
    this.tokens = m
  }

  /** The live sessions from the database (at boot, and when another instance opened or ended one). */
  async loadSessions(): Promise<void> {
    const m = new Map<string, SessionRow>()
    for (const row of await loadLiveSessions(this.db)) m.set(row.idHash, row)
    this.sessions = m
  }

  /**
   * Budgets survive a restart: today's and this month's usage come back from the request log. Run at
   * boot, and in cluster mode again when Redis comes back without its data (RedisUsageStore.resync).
   */
  async seedUsage(): Promise<void> {
    const now = new Date()
    const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
    try {
      for (const r of await usageSince(this.db, day, month)) {
        // Shared limits: seeds Redis for periods no instance has counted there yet.
        // Redis failing here must not cost the local counters below (the fallback limits on them).
        if (this.usage.seed) await this.usage.seed(r.name, r, now.getTime()).catch((e: Error) => logger.warn('client-key usage not seeded in redis', { clientKey: r.name, error: e.message }))
        const u = this.usage.usage(r.name)
        roll(u, now.getTime())
        u.day = utcDay(now)
        u.month = utcMonth(now)
        Object.assign(u, { dayTokens: r.dayTokens, monthTokens: r.monthTokens, dayUsd: r.dayUsd, monthUsd: r.monthUsd })
      }
    } catch (e) {
      logger.warn('could not read client-key usage from the request log', { error: (e as Error).message })
    }
  }

  /** A new session for `p`; returns the session id (the cookie value), stored only as its hash. */
  async createSession(p: Principal, ip: string | null, userAgent: string | null): Promise<{ id: string; expiresAt: Date }> {
    const id = randomBytes(32).toString('base64url')
    const now = Date.now()
    const row: SessionRow = {
      idHash: hashKey(id),
      subjectKind: p.kind,
      subjectName: p.name,
      role: p.role,
      canViewBodies: p.canViewBodies,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + SESSION_TTL_MS).toISOString(),
      ip,
      userAgent: userAgent?.slice(0, 300) ?? null,
    }
    await insertSession(this.db, row)
    this.sessions.set(row.idHash, row)
    this.onChange?.('sessions')
    return { id, expiresAt: new Date(now + SESSION_TTL_MS) }
  }

  async endSession(idHash: string): Promise<void> {
    this.sessions.delete(idHash)
    await deleteSessions(this.db, { idHash })
    this.onChange?.('sessions')
  }

  /** Ends every session of a subject (admin key rotated, token removed or disabled), all but `exceptHash`. */
  async endSessionsOf(kind: 'admin' | 'admin-token', name?: string, exceptHash?: string): Promise<void> {
    for (const [h, s] of this.sessions) if (h !== exceptHash && s.subjectKind === kind && (name === undefined || s.subjectName === name)) this.sessions.delete(h)
    await deleteSessions(this.db, { subjectKind: kind, subjectName: name, exceptIdHash: exceptHash })
    this.onChange?.('sessions')
  }

  /** Writes one audit record with secrets masked; a failure is logged, never thrown at the caller. */
  async audit(r: AuditRecord): Promise<void> {
    try {
      await insertAudit(this.db, { ...r, before: redactSecrets(r.before), after: redactSecrets(r.after) })
    } catch (e) {
      logger.error('audit write failed', { action: r.action, error: (e as Error).message })
    }
  }
}
