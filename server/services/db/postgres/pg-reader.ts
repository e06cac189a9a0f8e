import type { LogReader } from '../reader'
import type { SqlValue } from '../sql-db'
import type { PgDatabase } from './pg-database'

/** The request log's queries on PostgreSQL: the store's pool (each query takes a client for its own span). */
export class PgReader implements LogReader {
  readonly engine = 'postgres' as const
  constructor(readonly db: PgDatabase) {}

  all<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]> {
    return this.db.all<T>(sql, params)
  }

  async run(sql: string, params?: SqlValue[]): Promise<number> {
    const r = await this.db.pool.query(sql, params)
    return r.rowCount ?? 0
  }

  close(): void {
    /* the pool is the store's */
  }
}
