import type { SqlDb } from './sql-db'
import type { AuditListInput } from '../../../shared/schemas/security'
import { isoOf } from './admin-tokens-repo'
import { jsonColumn, type AuditLogTableRow } from './table-rows'

/** One audit record: who (and with which role, from where) did what, and what changed. */
export interface AuditRecord {
  actor: string | null
  role: string | null
  ip: string | null
  action: string
  target?: string | null
  outcome: 'ok' | 'error' | 'denied'
  detail?: string | null
  before?: unknown
  after?: unknown
}

export async function insertAudit(db: SqlDb, r: AuditRecord): Promise<void> {
  await db.run(
    'INSERT INTO audit_log (actor, role, ip, action, target, outcome, detail, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    [
      r.actor,
      r.role,
      r.ip,
      r.action,
      r.target ?? null,
      r.outcome,
      r.detail ?? null,
      r.before === undefined ? null : JSON.stringify(r.before),
      r.after === undefined ? null : JSON.stringify(r.after),
    ],
  )
}

/** Newest first, filtered; read-only (there is deliberately no update or delete here). */
export async function listAudit(db: SqlDb, q: AuditListInput) {
  const where: string[] = []
  const params: (string | number)[] = []
  const add = (sql: string, v: string | number) => {
    params.push(v)
    where.push(sql.replace('?', `$${params.length}`))
  }
  if (q.actor) add('actor = ?', q.actor)
  if (q.action) add('action LIKE ?', `${q.action.replace(/[%_]/g, '')}%`)
  if (q.outcome) add('outcome = ?', q.outcome)
  if (q.since) add('ts >= ?::TIMESTAMPTZ', q.since)
  if (q.until) add('ts < ?::TIMESTAMPTZ', q.until)
  if (q.beforeId) add('id < ?', q.beforeId)
  params.push(q.limit)
  const rows = await db.all<AuditLogTableRow>(
    `SELECT * FROM audit_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  )
  return rows.map((r) => ({
    id: Number(r.id),
    ts: isoOf(r.ts),
    actor: r.actor,
    role: r.role,
    ip: r.ip,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    detail: r.detail,
    before: jsonColumn<unknown>(r.before, null),
    after: jsonColumn<unknown>(r.after, null),
  }))
}
