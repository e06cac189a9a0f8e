import type { DuckDBConnection } from '@duckdb/node-api'
import { logger } from '../../utils/logger'
import { PgDatabase } from '../db/postgres/pg-database'
import { duckBatchTarget, type BatchTarget } from './batch-target'
import { isPgUnreachable, pgBatchTarget } from '../db/postgres/pg-batch-target'
import { WriteRetry } from './write-retry'

/** The longest the encoder holds the event loop before yielding to requests. */
const SLICE_MS = 2
const LONE_SURROGATE = /\\ud[89a-f]/i
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * A column as the batch carries it: TIMESTAMP travels as epoch milliseconds, JSON as the nested value
 * itself (it arrives as its JSON text), the rest as JSON scalars.
 */
export interface ColumnValue {
  TIMESTAMP: number
  VARCHAR: string
  INTEGER: number
  DOUBLE: number
  BOOLEAN: boolean
  JSON: object
}
export type ColumnType = keyof ColumnValue

export interface BatchTable<T> {
  table: string
  columns: ReadonlyArray<readonly [name: string, type: ColumnType]>
  /** One row, values in column order; null skips the item. May throw: the item is dropped and counted. */
  row(item: T): unknown[] | null
}

/** What a writer needs to know about the disk (the StorageGuard): whether to write, and where to report a failure. */
export interface LogStorage {
  readonly writable: boolean
  report(err: unknown): void
}

export interface BatchLimits {
  /** Items waiting beyond this are dropped and counted: memory stays bounded whatever the load. */
  maxQueue: number
  intervalMs: number
  /** One INSERT carries at most this many rows or this many characters, so no single step is long. */
  maxRows?: number
  maxChars?: number
  /**
   * Statements in flight at once, each on its own connection (default 2). DuckDB parses one statement's
   * single input string on one thread; a second lane lets a big backlog use the second core.
   */
  lanes?: number
}

/**
 * A log table's write path: `push` appends to a bounded queue (what a request pays: one array push);
 * a timer flushes the queue in batches. A batch travels to DuckDB as one string of JSON lines bound to
 * a prepared `INSERT … SELECT` on the writer's own connection, and DuckDB parses, casts and commits it
 * on its own threads.
 *
 * Why not the node appender: its flush is synchronous, so the commit, the WAL write and any automatic
 * checkpoint it triggers all ran on the event loop (bench: 10–20 µs per row and stalls of up to 0.6 s
 * when a checkpoint landed). Here the event loop only encodes rows (~5 µs each) and awaits.
 */
export class BatchInserter<T> {
  private queue: T[] = []
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> | undefined
  private readonly lanes: Lane[]
  private readonly open: () => Promise<BatchTarget>
  private readonly maxRows: number
  private readonly maxChars: number
  /** PostgreSQL: chunks that met an unreachable server wait here and go again after a back-off. */
  private readonly retry: WriteRetry | null
  /** Entries lost: the queue was full, the row would not encode, or its statement failed. */
  dropped = 0
  written = 0
  /** INSERT statements that failed (their rows are counted in `dropped` too). */
  failedWrites = 0
  lastError: { message: string; at: string } | null = null

  constructor(
    /** DuckDB: how to open a connection of the writer's own; PostgreSQL: the store (each lane gets a dedicated client). */
    store: (() => Promise<DuckDBConnection>) | PgDatabase,
    private readonly spec: BatchTable<T>,
    private readonly limits: BatchLimits,
    /** While it says not writable, batches wait in the (bounded) queue instead of failing one by one. */
    private readonly storage?: LogStorage,
  ) {
    this.open = store instanceof PgDatabase ? () => pgBatchTarget(store, spec) : () => duckBatchTarget(store, spec)
    this.retry = store instanceof PgDatabase ? new WriteRetry(isPgUnreachable) : null
    this.maxRows = limits.maxRows ?? 2_000
    this.maxChars = limits.maxChars ?? 4 * 1024 * 1024
    this.lanes = Array.from({ length: limits.lanes ?? 2 }, () => ({ busy: Promise.resolve() }))
    this.timer = setInterval(() => void this.flush(), limits.intervalMs)
    this.timer.unref()
  }

  /** Entries waiting: queued, plus (PostgreSQL) rows held for the store to come back. */
  get depth(): number {
    return this.queue.length + this.held
  }

  /** Rows held because the store was unreachable (PostgreSQL), sent again after a back-off. */
  get held(): number {
    return this.retry?.rows ?? 0
  }

  push(item: T): void {
    if (this.depth >= this.limits.maxQueue) {
      this.dropped++
      return
    }
    this.queue.push(item)
  }

  /** Writes everything queued so far; concurrent callers share the flush in progress. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing
    if (this.queue.length === 0 && this.held === 0) return
    if (this.retry?.waiting()) return
    if (this.storage && !this.storage.writable) return
    const batch = this.queue
    this.queue = []
    this.flushing = this.write(batch).finally(() => {
      this.flushing = undefined
    })
    return this.flushing
  }

  /**
   * Encodes the batch chunk by chunk; while DuckDB inserts chunks on its threads (one per lane), the
   * event loop encodes the next (and serves requests between them).
   */
  private async write(batch: T[]): Promise<void> {
    let next = 0
    const send = async (lines: string, rows: number) => {
      const lane = this.lanes[next++ % this.lanes.length]!
      await lane.busy
      // The store just proved unreachable in this flush: the rest waits with it, untried.
      if (this.retry?.waiting()) this.retry.hold(lines, rows, false)
      else lane.busy = this.insert(lane, lines, rows)
    }
    // What waited for the store goes first, in its order.
    for (const c of this.retry?.take() ?? []) await send(c.lines, c.rows)
    let lines = ''
    let rows = 0
    let slice = performance.now()
    for (let i = 0; i < batch.length; i++) {
      // Encoding is the only part on the event loop: hand it back every couple of milliseconds so a
      // request arriving mid-flush waits at most that long (a 2,000-row chunk takes ~12 ms to encode).
      if ((i & 15) === 15 && performance.now() - slice > SLICE_MS) {
        await new Promise<void>((r) => setImmediate(r))
        slice = performance.now()
      }
      const line = this.encode(batch[i]!)
      if (line === null) continue
      lines = rows === 0 ? line : `${lines}\n${line}`
      rows++
      if (rows >= this.maxRows || lines.length >= this.maxChars) {
        await send(lines, rows)
        lines = ''
        rows = 0
      }
    }
    if (rows > 0) await send(lines, rows)
    await Promise.all(this.lanes.map((l) => l.busy))
  }

  private encode(item: T): string | null {
    try {
      const row = this.spec.row(item)
      if (row === null) return null
      const line = JSON.stringify(row)
      // A lone surrogate (possible in any client-sent string) comes out of JSON.stringify as a \udXXX
      // escape, which DuckDB's parser refuses, failing the whole statement: replace it like a decoder
      // would. (A literal backslash before "ud8" also matches; re-encoding it changes nothing.)
      return LONE_SURROGATE.test(line) ? JSON.stringify(row.map((v) => (typeof v === 'string' ? v.replace(LONE, '\uFFFD') : v))) : line
    } catch (err) {
      this.dropped++
      logger.warn('log row not written', { table: this.spec.table, error: (err as Error).message })
      return null
    }
  }

  private async insert(lane: Lane, lines: string, rows: number): Promise<void> {
    try {
      lane.target ??= await this.open()
      await lane.target.insert(lines)
      this.written += rows
      this.retry?.succeeded()
    } catch (err) {
      if (this.retry?.unreachable(err)) {
        this.retry.hold(lines, rows, true)
        this.lastError = { message: (err as Error).message.split('\n')[0]!, at: new Date().toISOString() }
        closeLane(lane)
        logger.warn('log flush waits: the database is unreachable', { table: this.spec.table, error: this.lastError.message, rows, held: this.retry.rows })
        return
      }
      this.dropped += rows
      this.failedWrites++
      this.lastError = { message: (err as Error).message.split('\n')[0]!, at: new Date().toISOString() }
      this.storage?.report(err)
      // The next statement on this lane starts from a fresh connection.
      closeLane(lane)
      logger.error('log flush failed', { table: this.spec.table, error: this.lastError.message, rows })
    }
  }

  /** Stops the timer and writes everything still queued (shutdown loses nothing it has accepted). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.flushing
    // One last attempt whatever the back-off: shutdown must not wait out a 30 s step.
    this.retry?.retryNow()
    await this.flush()
    // Still queued: the disk was full, or the database unreachable, until the end.
    if (this.depth) {
      this.dropped += this.depth
      logger.error('log entries not written at shutdown: the data folder is out of space or the database unreachable', { table: this.spec.table, rows: this.depth })
      this.queue = []
      this.retry?.take()
    }
    for (const lane of this.lanes) closeLane(lane)
  }
}

interface Lane {
  target?: BatchTarget
  busy: Promise<void>
}

function closeLane(lane: Lane): void {
  try {
    lane.target?.close()
  } catch {
    /* the database is closed already */
  }
  lane.target = undefined
}
