import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api'
import type { Engine, SqlValue } from './sql-db'

/**
 * What the request log's queries and retention read through: rows shaped as sql-db.ts says, `run`
 * answering the rows changed. DuckDB: `Reader`, a connection of its own; PostgreSQL: `PgReader`.
 */
export interface LogReader {
  readonly engine: Engine
  all<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]>
  run(sql: string, params?: SqlValue[]): Promise<number>
  close(): void
}

/** A connection of its own for the request log's queries and retention (see Database.connect). */
export class Reader implements LogReader {
  readonly engine = 'duckdb' as const
  constructor(readonly conn: DuckDBConnection) {}

  /** Rows as JSON-safe objects; BIGINT/HUGEINT arrive as strings (use `num`). */
  async all<T = Record<string, unknown>>(sql: string, params?: DuckDBValue[]): Promise<T[]> {
    const reader = await this.conn.runAndReadAll(sql, params)
    return reader.getRowObjectsJson() as T[]
  }

  /** Returns the rows changed (for DELETE/UPDATE). */
  async run(sql: string, params?: DuckDBValue[]): Promise<number> {
    const r = await this.conn.run(sql, params)
    return Number(r.rowsChanged)
  }

  close(): void {
    this.conn.closeSync()
  }
}

/** DuckDB's BIGINT/HUGEINT come back as strings in JSON rows. */
export function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v)
}

export function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v)
}
