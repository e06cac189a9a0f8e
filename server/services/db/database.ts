import { mkdirSync } from 'node:fs'
import { AsyncLocalStorage } from 'node:async_hooks'
import { dirname } from 'node:path'
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api'
import { MIGRATIONS } from './migrations'

/**
 * DuckDB checkpoints (folds the WAL into the file) when the WAL passes this size. The default 16 MB
 * meant a checkpoint every ~25k log rows, each rewriting the table's open row group again: at 128 MB
 * the log writer sustains ~25% more rows/s (bench/log-bench.mjs), and a crash replays at most
 * ~200k rows' worth of WAL at the next start (a clean shutdown checkpoints).
 */
const INSTANCE_OPTIONS = { checkpoint_threshold: '128MB' }

/**
 * The one DuckDB owner: instance, connection, migrations. Repositories are the only other code that
 * speaks SQL. DuckDB allows one writing process, so the CLI talks to the server over tRPC.
 */
export class Database {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<Database> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
    let instance: DuckDBInstance
    try {
      instance = await DuckDBInstance.create(path, INSTANCE_OPTIONS)
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e)
      throw new Error(`Cannot open the database ${path}: ${msg}${/lock/i.test(msg) ? ' (is another Rosetta running on it?)' : ''}`)
    }
    const db = new Database(instance, await instance.connect(), path)
    await db.migrate()
    return db
  }

  private async migrate(): Promise<void> {
    await this.conn.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP DEFAULT current_timestamp)')
    const done = new Set((await this.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)))
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue
      await this.transaction(async () => {
        await this.conn.run(m.sql)
        await this.conn.run('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version])
      })
    }
  }

  /**
   * Statements on the shared connection take turns: a transaction holds it from BEGIN to COMMIT, so
   * another caller's statement (or a second transaction: key-state persistence runs on a timer while
   * an admin edits the configuration) can neither land inside it nor start a nested one. Code running
   * inside the transaction (same async context) goes straight through.
   */
  private queue: Promise<unknown> = Promise.resolve()
  private readonly holder = new AsyncLocalStorage<true>()

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.holder.getStore()) return fn()
    const turn = this.queue.then(() => this.holder.run(true, fn))
    this.queue = turn.catch(() => undefined)
    return turn
  }

  /** Rows as plain JSON-safe objects (BIGINT → number, timestamps → strings): the repository boundary. */
  all<T = Record<string, unknown>>(sql: string, params?: DuckDBValue[]): Promise<T[]> {
    return this.exclusive(async () => (await this.conn.runAndReadAll(sql, params)).getRowObjectsJson() as T[])
  }

  run(sql: string, params?: DuckDBValue[]): Promise<void> {
    return this.exclusive(async () => {
      await this.conn.run(sql, params)
    })
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.conn.run('BEGIN TRANSACTION')
      try {
        const out = await fn()
        await this.conn.run('COMMIT')
        return out
      } catch (e) {
        await this.conn.run('ROLLBACK')
        throw e
      }
    })
  }

  /**
   * Another connection on the same instance: long analytic reads, background deletes and each log
   * writer run on one of their own, so none of them waits for (or lands inside) another's statements.
   */
  async connect(): Promise<DuckDBConnection> {
    return this.instance.connect()
  }

  close(): void {
    this.conn.closeSync()
    this.instance.closeSync()
  }
}
