import pg from 'pg'
import { createHash } from 'node:crypto'
import type { SqlDb, SqlValue } from '../sql-db'
import { postgresMigrations } from '../migrations/postgres'
import { logger } from '../../../utils/logger'

/** PostgreSQL type oids whose text is handed back as it is, so rows look like DuckDB's (sql-db.ts). */
const RAW_TEXT = new Set([
  1114, // timestamp: `2025-01-01 10:00:00.123`, the session's TimeZone is UTC
  114, // json: its text (repositories read it with jsonColumn)
  3802, // jsonb
])

const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (RAW_TEXT.has(oid) ? (v: string) => v : (pg.types.getTypeParser(oid, format) as (v: string) => unknown))) as pg.CustomTypesConfig['getTypeParser'],
}

/**
 * Every connection's settings: TIMESTAMP columns hold UTC wall time, as in DuckDB, so `now()` and
 * `current_timestamp` defaults must be converted in UTC whatever the server's TimeZone.
 */
export function clientConfig(url: string, applicationName = 'rosetta'): pg.ClientConfig {
  return { connectionString: url, options: '-c TimeZone=UTC', types: TYPES, application_name: applicationName }
}

/** The advisory-lock key of a name (64-bit, from sha256): boot steps that one instance does at a time. */
export function lockKey(name: string): string {
  return createHash('sha256').update(`rosetta:${name}`).digest().readBigInt64BE(0).toString()
}

/** A URL fit for a log line: the password masked. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'postgres://…'
  }
}

type Queryable = Pick<pg.PoolClient, 'query'>

async function all<T>(q: Queryable, sql: string, params?: SqlValue[]): Promise<T[]> {
  const r = await q.query(params?.length ? { text: sql, values: params } : sql)
  // A multi-statement text answers with one result per statement.
  const res = Array.isArray(r) ? (r as pg.QueryResult[]).at(-1) : r
  return (res?.rows ?? []) as T[]
}

/** One transaction's handle: straight on its client. */
class PgTx implements SqlDb {
  readonly engine = 'postgres' as const
  readonly writable = true
  constructor(private readonly client: Queryable) {}
  all<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]> {
    return all<T>(this.client, sql, params)
  }
  async run(sql: string, params?: SqlValue[]): Promise<void> {
    await all(this.client, sql, params)
  }
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    return fn(this)
  }
}

/**
 * The PostgreSQL store (NUXT_DATABASE_URL): a pool for the repositories, dedicated clients for the
 * log writers (`connect`). The role needs to own its database and nothing more: no superuser, no
 * extension. Migrations run under an advisory lock, so instances booting at once on an empty database
 * wait for the one that applies them.
 */
export class PgDatabase implements SqlDb {
  readonly engine = 'postgres' as const
  readonly writable = true

  private constructor(
    readonly pool: pg.Pool,
    readonly url: string,
  ) {}

  static async open(url: string, opts: { poolSize?: number } = {}): Promise<PgDatabase> {
    const pool = new pg.Pool({ ...clientConfig(url), max: opts.poolSize ?? 10, idleTimeoutMillis: 30_000 })
    // An idle client whose server went away emits 'error' on the pool: without a listener that ends the process.
    pool.on('error', (e) => logger.warn('postgres: an idle connection failed', { error: e.message }))
    const db = new PgDatabase(pool, url)
    try {
      await db.migrate()
    } catch (e) {
      await pool.end().catch(() => undefined)
      throw new Error(`Cannot open the database ${redactUrl(url)}: ${(e as Error).message}`)
    }
    return db
  }

  private async migrate(): Promise<void> {
    await this.withLock('migrations', async () => {
      await this.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP DEFAULT current_timestamp)')
      const done = new Set((await this.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)))
      for (const m of postgresMigrations()) {
        if (done.has(m.version)) continue
        await this.transaction(async (tx) => {
          await tx.run(m.sql)
          await tx.run('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version])
        })
      }
    })
  }

  all<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]> {
    return all<T>(this.pool, sql, params)
  }

  async run(sql: string, params?: SqlValue[]): Promise<void> {
    await all(this.pool, sql, params)
  }

  async transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    try {
      await client.query('BEGIN')
      try {
        const out = await fn(new PgTx(client))
        await client.query('COMMIT')
        return out
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw e
      }
    } finally {
      client.release()
    }
  }

  /**
   * Runs `fn` while holding the advisory lock named `name` (a session lock on a client of its own):
   * instances doing the same boot step take turns. `fn` uses the store as usual.
   */
  async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    const key = lockKey(name)
    try {
      await client.query('SELECT pg_advisory_lock($1::bigint)', [key])
      try {
        return await fn()
      } finally {
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined)
      }
    } finally {
      client.release()
    }
  }

  /** A client of its own (the log writers' lanes): never one the repositories' pool hands out. */
  async connect(applicationName = 'rosetta-log'): Promise<pg.Client> {
    const c = new pg.Client(clientConfig(this.url, applicationName))
    c.on('error', (e) => logger.warn('postgres: a dedicated connection failed', { error: e.message }))
    await c.connect()
    return c
  }

  async close(): Promise<void> {
    await this.pool.end()
  }
}
