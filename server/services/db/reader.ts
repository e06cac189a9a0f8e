import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api'

/** A connection of its own for the request log's queries and retention (see Database.connect). */
export class Reader {
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
