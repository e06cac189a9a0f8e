import { afterAll } from 'vitest'
import { Database } from '../../server/services/db/database'
import { PgDatabase } from '../../server/services/db/postgres/pg-database'
import { pgAvailable, startPgServer, type PgServer } from './pg-server'
import { Reader, type LogReader } from '../../server/services/db/reader'
import { PgReader } from '../../server/services/db/postgres/pg-reader'

/**
 * The two store engines, for tests that run the same cases on both (describe.each(STORE_ENGINES)).
 * PostgreSQL: one throwaway server per test file (started on first use, stopped after the file), a
 * fresh database owned by a non-superuser role per `open()`.
 */
export interface StoreEngine {
  name: 'duckdb' | 'postgres'
  open(): Promise<Database | PgDatabase>
  close(db: Database | PgDatabase): Promise<void>
}

let server: Promise<PgServer> | undefined
afterAll(async () => {
  if (server) (await server).stop()
  server = undefined
})

/** The PostgreSQL server of this test file (started on first use). */
export function pgServer(): Promise<PgServer> {
  server ??= startPgServer()
  return server
}

export const STORE_ENGINES: StoreEngine[] = [
  {
    name: 'duckdb',
    open: () => Database.open(':memory:'),
    close: async (db) => db.close(),
  },
  ...(pgAvailable || process.env.CI
    ? [
        {
          name: 'postgres' as const,
          open: async () => PgDatabase.open(await (await pgServer()).createDatabase()),
          close: (db: Database | PgDatabase) => Promise.resolve(db.close()),
        },
      ]
    : []),
]

/** The request log's read side of a store, as RequestLog.open makes it. */
export async function logReaderOf(db: Database | PgDatabase): Promise<LogReader> {
  return db instanceof PgDatabase ? new PgReader(db) : new Reader(await db.connect())
}

/** What a RequestBodyWriter is given for a store. */
export const bodyStoreOf = (db: Database | PgDatabase) => (db instanceof PgDatabase ? db : () => db.connect())
