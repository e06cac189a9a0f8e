/**
 * The store seam: what every repository is written against. Two engines implement it — DuckDB
 * (`database.ts`, the embedded default) and PostgreSQL (`postgres/pg-database.ts`, chosen by
 * NUXT_DATABASE_URL) — and hand back rows of the same shape (see table-rows.ts): VARCHAR → string,
 * INTEGER/DOUBLE → number, BIGINT and sums → string (read with Number()), TIMESTAMP →
 * `2025-01-01 10:00:00.123` in UTC, JSON → its text. Placeholders are `$1, $2, …` on both; SQL that
 * the dialects spell differently asks `engine` (or lives in a per-engine file).
 */
export type Engine = 'duckdb' | 'postgres'

/** A bound parameter: plain scalars only (blobs go through a repository's own per-engine code). */
export type SqlValue = string | number | boolean | bigint | null

export interface SqlDb {
  readonly engine: Engine
  /**
   * False while writes must wait: DuckDB's storage guard on a full disk (see storage-guard.ts).
   * PostgreSQL's disk is the server's business: always true.
   */
  readonly writable: boolean
  all<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]>
  run(sql: string, params?: SqlValue[]): Promise<void>
  /**
   * `fn` gets the transaction's handle (the same methods, inside the transaction); a nested
   * `transaction` on the handle runs inside the outer one. Using the outer store inside `fn` waits
   * for (DuckDB) or escapes (PostgreSQL) the transaction: always use the handle.
   */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T>
}
