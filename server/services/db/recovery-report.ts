import type { Database } from './database'
import type { Recovery } from './open-instance'
import { logger } from '../../utils/logger'

const KEPT_TABLES = ['providers', 'provider_keys', 'model_entries', 'routes', 'client_keys', 'admin_tokens', 'request_log'] as const

const WHAT: Record<Recovery['action'], string> = {
  'wal-replayed': 'the write-ahead log was replayed through a second route: nothing was lost',
  'wal-set-aside': 'the write-ahead log was moved aside: log rows written since the last checkpoint are not in the database (configuration is checkpointed on every change, so none of it was lost)',
  'read-only': 'the data folder was too full to open the database for writing: it is open read-only (configuration is served, nothing is logged); restart Rosetta once there is space',
  'database-set-aside': 'the database file would not open without its log either: both were moved aside and a fresh database was created (configuration comes back from rosetta.yaml, if any; the files kept aside hold the rest)',
}

/** What is in the database after a recovery, by table. */
export async function keptRows(db: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const t of KEPT_TABLES) {
    const rows = await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${t}`).catch(() => [{ n: -1 }])
    out[t] = Number(rows[0]?.n ?? 0)
  }
  return out
}

/**
 * Says loudly, once, what a boot did to open a database a crash left behind: DuckDB's refusal, what was
 * done, the files kept aside and what the database holds now. Also kept for /health/detailed.
 */
export async function reportRecovery(db: Database): Promise<void> {
  const r = db.recovery
  if (!r) return
  const kept = await keptRows(db)
  const fields = { path: db.path, action: r.action, duckdbError: r.error, keptAside: r.keptAside, rowsKept: kept }
  const line = `database recovered at boot: ${WHAT[r.action]}`
  if (r.action === 'wal-replayed') logger.warn(line, fields)
  else logger.error(line, fields)
}
