import type { SqlDb } from './sql-db'
import type { Role } from '../../../shared/schemas/security'
import type { AdminTokensTableRow } from './table-rows'

/** A named admin token as stored (its secret only as sha256 and a masked hint). */
export interface AdminTokenRow {
  name: string
  tokenHash: string
  hint: string
  role: Role
  canViewBodies: boolean
  enabled: boolean
  expiresAt: string | null
  createdAt: string
  createdBy: string | null
}

const toRow = (r: AdminTokensTableRow): AdminTokenRow => ({
  name: r.name,
  tokenHash: r.token_hash,
  hint: r.token_hint,
  role: r.role as Role,
  canViewBodies: r.can_view_bodies,
  enabled: r.enabled,
  expiresAt: r.expires_at ? isoOf(r.expires_at) : null,
  createdAt: isoOf(r.created_at),
  createdBy: r.created_by,
})

/** DuckDB gives timestamps as `2025-01-01 10:00:00.123`, in UTC. */
export function isoOf(ts: string): string {
  return new Date(ts.includes('T') ? ts : ts.replace(' ', 'T') + 'Z').toISOString()
}

export async function listAdminTokens(db: SqlDb): Promise<AdminTokenRow[]> {
  return (await db.all<AdminTokensTableRow>('SELECT * FROM admin_tokens ORDER BY name')).map(toRow)
}

export async function insertAdminToken(db: SqlDb, t: Omit<AdminTokenRow, 'createdAt'>): Promise<void> {
  await db.run(
    `INSERT INTO admin_tokens (name, token_hash, token_hint, role, can_view_bodies, enabled, expires_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7::TIMESTAMP, $8)`,
    [t.name, t.tokenHash, t.hint, t.role, t.canViewBodies, t.enabled, t.expiresAt, t.createdBy],
  )
}

export async function updateAdminToken(db: SqlDb, t: AdminTokenRow): Promise<void> {
  await db.run('UPDATE admin_tokens SET role = $2, can_view_bodies = $3, enabled = $4, expires_at = $5::TIMESTAMP WHERE name = $1', [
    t.name,
    t.role,
    t.canViewBodies,
    t.enabled,
    t.expiresAt,
  ])
}

export async function deleteAdminToken(db: SqlDb, name: string): Promise<void> {
  await db.run('DELETE FROM admin_tokens WHERE name = $1', [name])
}
