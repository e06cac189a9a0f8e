import type { BatchTable, ColumnType } from '../../log/batch-inserter'
import type { BatchTarget } from '../../log/batch-target'
import type { PgDatabase } from './pg-database'

/** PostgreSQL's cast of one JSON element `r` at position i to a column type. */
const CAST: Record<ColumnType, (v: string) => string> = {
  // Epoch milliseconds → UTC wall time (the columns are TIMESTAMP without zone, as in DuckDB).
  TIMESTAMP: (v) => `to_timestamp((${v})::float8 / 1000) AT TIME ZONE 'UTC'`,
  VARCHAR: (v) => v,
  INTEGER: (v) => `(${v})::integer`,
  DOUBLE: (v) => `(${v})::float8`,
  BOOLEAN: (v) => `(${v})::boolean`,
  JSON: (v) => `(${v})::json`,
}

/** `\u0000` outside an escaped backslash: PostgreSQL text cannot hold NUL, so it becomes U+FFFD (as lone surrogates do). */
const NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g

/**
 * PostgreSQL: one multi-row `INSERT … SELECT` per chunk on a dedicated client (never a pool client a
 * request could wait for). The chunk travels as one JSON array parameter; the server splits and casts
 * it, so the event loop does no more than for DuckDB. Rows land in their day's partition (or the
 * default one until it exists: see partitions.ts).
 */
export async function pgBatchTarget<T>(db: PgDatabase, spec: BatchTable<T>): Promise<BatchTarget> {
  const client = await db.connect(`rosetta-log-${spec.table}`)
  const sql = `INSERT INTO ${spec.table} (${spec.columns.map(([n]) => n).join(', ')})
    SELECT ${spec.columns.map(([, type], i) => CAST[type](`r->>${i}`)).join(', ')}
    FROM jsonb_array_elements($1::jsonb) AS e(r)`
  return {
    async insert(chunk) {
      const lines = typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8')
      // JSON.stringify never writes a raw newline, so the lines join into one array by their separators.
      const text = `[${lines.replaceAll('\n', ',')}]`
      await client.query(sql, [text.includes('\\u0000') ? text.replace(NUL_ESCAPE, '$1\\ufffd') : text])
    },
    close: () => void client.end().catch(() => undefined),
  }
}

/** SQLSTATE classes that say the server is away or cannot take writes now, not that the rows are bad. */
const AWAY_CLASSES = new Set(['08', '53', '57'])

/**
 * Whether a failed chunk met an unreachable PostgreSQL (refused or dropped connection, shutdown in
 * progress, out of disk or connections): such a chunk waits and is sent again (log/write-retry.ts).
 * Anything else (a data error) would fail again: it is dropped and counted.
 */
export function isPgUnreachable(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  // A SQLSTATE from the server; any other code is the socket's (ECONNREFUSED, ECONNRESET, ENOTFOUND…).
  if (typeof code === 'string') return /^[0-9A-Z]{5}$/.test(code) ? AWAY_CLASSES.has(code.slice(0, 2)) : true
  // node-postgres' own errors for a connection that ended or never came up carry no code.
  return /connection|terminated|timeout|not queryable/i.test(err.message)
}
