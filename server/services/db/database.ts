import { mkdirSync } from 'node:fs'
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
      await this.transaction(async (tx) => {
        await tx.run(m.sql)
        await tx.run('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version])
      })
    }
  }

  /**
   * Statements on the shared connection take turns: a transaction holds it from BEGIN to COMMIT, so
   * another caller's statement (or a second transaction: key-state persistence runs on a timer while
   * an admin edits the configuration) can neither land inside it nor start a nested one. The code
   * inside a transaction uses the handle it is given, which goes straight to the connection.
   * (An AsyncLocalStorage told the two apart before; on Node 20 it switches on async hooks for every
   * promise in the process, ~4% of the gateway's CPU.)
   */
  private queue: Promise<unknown> = Promise.resolve()

  protected exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(fn)
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

  /**
   * `fn` gets the transaction's handle: the same methods, straight on the held connection (a nested
   * `transaction` on it just runs inside this one). Using the outer Database inside `fn` would wait
   * for the transaction to end: always use the handle.
   */
  transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.conn.run('BEGIN TRANSACTION')
      try {
        const out = await fn(this.held())
        await this.conn.run('COMMIT')
        return out
      } catch (e) {
        await this.conn.run('ROLLBACK')
        throw e
      }
    })
  }

  /** This Database as seen from inside its own transaction. */
  private held(): Database {
    const tx = Object.create(this) as Database
    const direct = <T>(fn: () => Promise<T>) => fn()
    Object.defineProperty(tx, 'exclusive', { value: direct })
    Object.defineProperty(tx, 'transaction', { value: <T>(fn: (t: Database) => Promise<T>) => fn(tx) })
    return tx
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
