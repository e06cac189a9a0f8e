import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { DuckDBInstance, DuckDBConnection, DuckDBValue } from '@duckdb/node-api'
import type { SqlDb } from './sql-db'
import { MIGRATIONS } from './migrations'
import { openInstance, type Recovery } from './open-instance'
import { Checkpointer } from './checkpointer'
import { StorageGuard } from './storage-guard'

/**
 * DuckDB checkpoints (folds the WAL into the file) when the WAL passes this size. The default 16 MB
 * meant a checkpoint every ~25k log rows, each rewriting the table's open row group again: at 128 MB
 * the log writer sustains ~25% more rows/s (bench/log-bench.mjs), and a crash replays at most
 * ~200k rows' worth of WAL at the next start (a clean shutdown checkpoints).
 */
const INSTANCE_OPTIONS = { checkpoint_threshold: '128MB' }

/**
 * Besides the size threshold, a checkpoint every this many ms when anything was written, so the WAL
 * never holds more than this much history (at 60 requests/s: ~600 log rows, well under 1 MB).
 */
export const CHECKPOINT_INTERVAL_MS = 10_000

export interface OpenOptions {
  /** Below this much free space in the data folder, the database is treated as read-only (StorageGuard). */
  minFreeMb?: number
}

/**
 * The one DuckDB owner: instance, connection, migrations. Repositories are the only other code that
 * speaks SQL. DuckDB allows one writing process, so the CLI talks to the server over tRPC.
 */
export class Database implements SqlDb {
  readonly engine = 'duckdb' as const
  /** Folds the WAL into the file: after configuration writes (awaited) and on a timer. */
  readonly checkpointer: Checkpointer
  /** Free space of the data folder; below its floor nothing is written (see StorageGuard). */
  readonly guard: StorageGuard

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    readonly path: string,
    /** What this boot had to do to open a file a crash left behind (null: it opened as is). */
    readonly recovery: Recovery | null,
    minFreeMb: number,
  ) {
    const file = path === ':memory:' ? null : path
    this.guard = new StorageGuard(file, minFreeMb)
    this.checkpointer = new Checkpointer(() => instance.connect(), () => this.guard.canCheckpoint(), () => this.guard.walBytes())
  }

  /** Writes wait while the data folder is below its free-space floor (StorageGuard). */
  get writable(): boolean {
    return this.guard.writable
  }

  static async open(path: string, opts: OpenOptions = {}): Promise<Database> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
    let opened: Awaited<ReturnType<typeof openInstance>>
    try {
      opened = await openInstance(path, INSTANCE_OPTIONS)
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e)
      throw new Error(`Cannot open the database ${path}: ${msg}${/lock/i.test(msg) ? ' (is another Rosetta running on it?)' : ''}`)
    }
    const db = new Database(opened.instance, await opened.instance.connect(), path, opened.recovery, opts.minFreeMb ?? 0)
    await db.migrate()
    if (path !== ':memory:') {
      // A checkpoint at close that cannot write the file is FATAL: on a full disk leave the WAL to the next boot.
      const atShutdown = (writable: boolean) => db.conn.run(`PRAGMA ${writable ? 'enable' : 'disable'}_checkpoint_on_shutdown`).catch(() => undefined)
      if (!db.guard.writable) await atShutdown(false)
      db.guard.onChange((w) => void atShutdown(w))
      db.guard.start()
      db.checkpointer.start(CHECKPOINT_INTERVAL_MS)
    }
    return db
  }

  /**
   * Each migration is checkpointed as soon as it commits: a WAL holding a migration's DDL is what
   * DuckDB 1.5 fails to replay at open (see open-instance.ts), so it never outlives the step.
   */
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
   * Every write on this (the configuration) connection is checkpointed before it is acknowledged,
   * so configuration never depends on replaying the WAL. Refused while the disk is full: a failed
   * commit of a replaced primary-key row aborts DuckDB (see StorageGuard).
   */
  protected beforeWrite(): void {
    this.guard.assertWritable()
  }

  protected afterWrite(): Promise<void> {
    if (this.path === ':memory:') return Promise.resolve()
    return this.checkpointer.now()
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

  async run(sql: string, params?: DuckDBValue[]): Promise<void> {
    this.beforeWrite()
    await this.exclusive(async () => {
      await this.conn.run(sql, params)
    })
    await this.afterWrite()
  }

  /**
   * `fn` gets the transaction's handle: the same methods, straight on the held connection (a nested
   * `transaction` on it just runs inside this one). Using the outer Database inside `fn` would wait
   * for the transaction to end: always use the handle.
   */
  async transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
    this.beforeWrite()
    const out = await this.exclusive(async () => {
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
    await this.afterWrite()
    return out
  }

  /** This Database as seen from inside its own transaction. */
  private held(): Database {
    const tx = Object.create(this) as Database
    const direct = <T>(fn: () => Promise<T>) => fn()
    Object.defineProperty(tx, 'exclusive', { value: direct })
    Object.defineProperty(tx, 'transaction', { value: <T>(fn: (t: Database) => Promise<T>) => fn(tx) })
    // Inside the transaction: the outer call checks before BEGIN and checkpoints after COMMIT (a
    // checkpoint from in here would wait for this very transaction).
    Object.defineProperty(tx, 'beforeWrite', { value: () => undefined })
    Object.defineProperty(tx, 'afterWrite', { value: () => Promise.resolve() })
    return tx
  }

  /**
   * Another connection on the same instance: long analytic reads, background deletes and each log
   * writer run on one of their own, so none of them waits for (or lands inside) another's statements.
   */
  async connect(): Promise<DuckDBConnection> {
    return this.instance.connect()
  }

  /**
   * Closes (DuckDB checkpoints at close, except while the disk is full: see the guard's listener in
   * open). Await `checkpointer.close()` first when a checkpoint may be running.
   */
  close(): void {
    this.guard.stop()
    this.checkpointer.stop()
    this.conn.closeSync()
    this.instance.closeSync()
  }
}
