import { MIGRATIONS } from './index'
import { PG_ONLY_MIGRATIONS } from './postgres-only'

/**
 * PostgreSQL gets the same numbered migrations as DuckDB, from the same files: the DDL is written in
 * the subset both engines read, and the few type names PostgreSQL spells differently are mapped here.
 * The two log tables are created partitioned by day (PARTITION BY RANGE (ts)): the partitions and the
 * rest of what only PostgreSQL has (indexes for the list filters, per-minute rollups) come after, from
 * postgres-only.ts.
 */
const TYPES: ReadonlyArray<[RegExp, string]> = [
  [/\bDOUBLE\b(?! PRECISION)/g, 'DOUBLE PRECISION'],
  [/\bBLOB\b/g, 'BYTEA'],
]

/** The tables partitioned by day in PostgreSQL (retention drops whole days). */
export const PARTITIONED_TABLES = ['request_log', 'request_bodies'] as const

export function toPostgres(sql: string): string {
  let out = sql
  for (const [re, to] of TYPES) out = out.replace(re, to)
  for (const t of PARTITIONED_TABLES) {
    // `CREATE TABLE t ( … );` — the closing `);` is the first one at the start of a line after it.
    out = out.replace(new RegExp(`(CREATE TABLE ${t} \\([\\s\\S]*?\\n\\))(;)`), '$1 PARTITION BY RANGE (ts)$2')
  }
  return out
}

/** Every migration PostgreSQL applies, in order: the shared ones, then PostgreSQL's own (versions from 1001). */
export function postgresMigrations(): Array<{ version: number; sql: string }> {
  return [...MIGRATIONS.map((m) => ({ version: m.version, sql: toPostgres(m.sql) })), ...PG_ONLY_MIGRATIONS]
}
