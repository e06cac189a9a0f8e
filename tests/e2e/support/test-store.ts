import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll } from 'vitest'
import { DuckDBInstance } from '@duckdb/node-api'
import { startPgServer, type PgServer } from '../../support/pg-server'

/**
 * ROSETTA_TEST_STORE=postgres runs the e2e servers on PostgreSQL: one throwaway PostgreSQL per test
 * process, a fresh database (owned by a non-superuser role) per server. A server restarted on the
 * same data folder gets the same database back (its URL is kept in the folder). Default: DuckDB.
 */
export const TEST_STORE: 'duckdb' | 'postgres' = process.env.ROSETTA_TEST_STORE === 'postgres' ? 'postgres' : 'duckdb'

/** Cluster mode needs the master key given (every instance the same). */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64')

let server: Promise<PgServer> | undefined

function pgServer(): Promise<PgServer> {
  server ??= startPgServer()
  return server
}

// Stopped after the test file (a worker process is ended without running its exit handlers).
afterAll(async () => {
  const s = server
  server = undefined
  if (s) (await s).stop()
})

/** The environment a server on `dir` gets for the store under test (nothing for DuckDB). */
export async function storeEnv(dir: string): Promise<Record<string, string>> {
  if (TEST_STORE === 'duckdb') return {}
  const kept = join(dir, 'postgres-url')
  const url = existsSync(kept) ? readFileSync(kept, 'utf8') : await (await pgServer()).createDatabase()
  writeFileSync(kept, url)
  return { NUXT_DATABASE_URL: url, NUXT_MASTER_KEY: TEST_MASTER_KEY }
}

/**
 * Everything a stopped server's store holds, as text to search: the DuckDB file's bytes, or every
 * row of every PostgreSQL table (as its text).
 */
export async function storeDump(dir: string): Promise<string> {
  if (TEST_STORE === 'duckdb') return readFileSync(join(dir, 'rosetta.duckdb')).toString('latin1')
  const c = new pg.Client({ connectionString: readFileSync(join(dir, 'postgres-url'), 'utf8') })
  await c.connect()
  try {
    const tables = (await c.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.t)
    let out = ''
    for (const t of tables) for (const r of (await c.query<{ x: string }>(`SELECT t::text AS x FROM ${t} t`)).rows) out += `${r.x}\n`
    return out
  } finally {
    await c.end()
  }
}

/** What a server may leave in its data folder: on PostgreSQL nothing but the test's own files. */
export const LOCAL_FILES_ON_POSTGRES = ['rosetta.yaml', 'postgres-url']

/** A query on a stopped server's store (its DuckDB file, or its PostgreSQL database), rows as JSON values. */
export async function storeRows(dir: string, sql: string): Promise<Array<Record<string, unknown>>> {
  if (TEST_STORE === 'duckdb') {
    const db = await DuckDBInstance.create(join(dir, 'rosetta.duckdb'))
    const conn = await db.connect()
    try {
      return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>
    } finally {
      conn.closeSync()
      db.closeSync()
    }
  }
  const c = new pg.Client({ connectionString: readFileSync(join(dir, 'postgres-url'), 'utf8') })
  await c.connect()
  try {
    return (await c.query<Record<string, unknown>>(sql)).rows
  } finally {
    await c.end()
  }
}
