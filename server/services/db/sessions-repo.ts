import type { SqlDb } from './sql-db'
import type { Role } from '../../../shared/schemas/security'
import { isoOf } from './admin-tokens-repo'
import type { SessionsTableRow } from './table-rows'

/** A web session as stored: the id itself never is, only its sha256. */
export interface SessionRow {
  idHash: string
  subjectKind: 'admin' | 'admin-token'
  subjectName: string
  role: Role
  canViewBodies: boolean
  createdAt: string
  expiresAt: string
  ip: string | null
  userAgent: string | null
}

export async function loadLiveSessions(db: SqlDb): Promise<SessionRow[]> {
  // Expired rows are only tidied (never served): skipped while the disk is full, so a boot on it succeeds.
  if (db.writable) await db.run('DELETE FROM sessions WHERE expires_at <= now()::TIMESTAMP')
  const rows = await db.all<SessionsTableRow>('SELECT * FROM sessions WHERE expires_at > now()::TIMESTAMP')
  return rows.map((r) => ({
    idHash: r.id_hash,
    subjectKind: r.subject_kind as SessionRow['subjectKind'],
    subjectName: r.subject_name,
    role: r.role as Role,
    canViewBodies: r.can_view_bodies,
    createdAt: isoOf(r.created_at),
    expiresAt: isoOf(r.expires_at),
    ip: r.ip,
    userAgent: r.user_agent,
  }))
}

export async function insertSession(db: SqlDb, s: SessionRow): Promise<void> {
  await db.run(
    `INSERT INTO sessions (id_hash, subject_kind, subject_name, role, can_view_bodies, created_at, expires_at, ip, user_agent)
     VALUES ($1, $2, $3, $4, $5, $6::TIMESTAMP, $7::TIMESTAMP, $8, $9)`,
    [s.idHash, s.subjectKind, s.subjectName, s.role, s.canViewBodies, s.createdAt, s.expiresAt, s.ip, s.userAgent],
  )
}

/** Deletes one session (`idHash`) or every session of a subject, sparing `exceptIdHash` when given. */
export async function deleteSessions(db: SqlDb, where: { idHash?: string; subjectKind?: string; subjectName?: string; exceptIdHash?: string }): Promise<void> {
  if (where.idHash) return db.run('DELETE FROM sessions WHERE id_hash = $1', [where.idHash])
  if (!where.subjectKind) return
  const conds = ['subject_kind = $1']
  const params: string[] = [where.subjectKind]
  if (where.subjectName) conds.push(`subject_name = $${params.push(where.subjectName)}`)
  if (where.exceptIdHash) conds.push(`id_hash <> $${params.push(where.exceptIdHash)}`)
  await db.run(`DELETE FROM sessions WHERE ${conds.join(' AND ')}`, params)
}
