import type { DuckDBConnection } from '@duckdb/node-api'
import { logger } from '../../utils/logger'
import { PgDatabase } from '../db/postgres/pg-database'
import { duckBatchTarget, type BatchTarget } from './batch-target'
import { isPgUnreachable, pgBatchTarget } from '../db/postgres/pg-batch-target'
import { WriteRetry } from './write-retry'
import type { ChunkLimits, EncodedChunk } from './encoding/encode-rows'
import { sharedEncoderThread, type EncoderThreadFile, type Handover } from './encoding/encoder-thread'
import { HANDOVER, threadTable, type LogTableName, type LogTableOptions } from './encoding/log-tables'
import { InlineRowEncoder, type RowEncoder } from './encoding/row-encoder'

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
  /**
   * Encode on the log encoder thread, as this named table (encoding/log-tables.ts); without it, or
   * when the thread cannot run, rows are encoded on the event loop at flush time.
   */
  thread?: { table: LogTableName; opts: LogTableOptions; where: EncoderThreadFile | null }
}

/**
 * Queued items go to the encoder at most this long after the first of them was pushed. Short, because
 * an entry held as an object until then is live at any scavenge in between and gets copied with its
 * captured bodies (`npm run bench:latency-builds`, 1-connection p99: 1.36–1.43 ms at 20 ms, 1.14–1.26
 * at 5 ms). Not shorter, because each hand-over is a message to the thread (and its wake-up): one
 * right after every request (setImmediate) put it in the next request's way (p50 0.225 → 0.27 ms).
 */
const HANDOVER_MS = 5

/**
 * A log table's write path: `push` appends to a bounded queue (what a request pays: one array push).
 * Within HANDOVER_MS of its first item the queue goes to the row encoder — a worker thread in the
 * production build (encoding/encoder-thread.ts), which turns rows into JSON lines (and, for bodies,
 * redacts and reassembles them) off the event loop. Every `intervalMs` the encoded chunks are inserted, each as
 * one statement on a writer connection of its own, and the database parses, casts and commits them
 * on its own threads.
 *
 * Why not the node appender: its flush is synchronous, so the commit, the WAL write and any automatic
 * checkpoint it triggers all ran on the event loop (bench: 10–20 µs per row and stalls of up to 0.6 s
 * when a checkpoint landed). Here the event loop hands items over and binds finished chunks.
 */
export class BatchInserter<T> {
  private queue: T[] = []
  /** Set by the push that finds the queue empty, when rows go to the encoder thread: no timer runs while idle. */
  private handOverTimer: NodeJS.Timeout | undefined
  private readonly threaded: boolean
  /** Handed to the encoder and not yet flushed: they count against maxQueue too. */
  private handedOver = 0
  private readonly timers: NodeJS.Timeout[] = []
  private flushing: Promise<void> | undefined
  private readonly lanes: Lane[]
  private readonly open: () => Promise<BatchTarget>
  private readonly encoder: RowEncoder<T>
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
    const pg = store instanceof PgDatabase
    this.open = pg ? () => pgBatchTarget(store, spec) : () => duckBatchTarget(store, spec)
    this.retry = pg ? new WriteRetry(isPgUnreachable) : null
    // DuckDB binds bytes (a copy); node-postgres sends text.
    const chunk: ChunkLimits = { maxRows: limits.maxRows ?? 2_000, maxChars: limits.maxChars ?? 4 * 1024 * 1024, as: pg ? 'text' : 'bytes' }
    const t = limits.thread
    this.encoder = t?.where
      ? sharedEncoderThread(t.where).open(t.table, t.opts, chunk, HANDOVER[t.table] as unknown as Handover<T>, new InlineRowEncoder(threadTable(t.table, t.opts), chunk))
      : new InlineRowEncoder(spec, chunk)
    this.lanes = Array.from({ length: limits.lanes ?? 2 }, () => ({ busy: Promise.resolve() }))
    this.threaded = Boolean(t?.where)
    this.timers.push(setInterval(() => void this.flush(), limits.intervalMs))
    for (const timer of this.timers) timer.unref()
  }

  /** Where this writer's rows are encoded: the log encoder thread, or the event loop. */
  get encodedOn(): 'thread' | 'inline' {
    return this.encoder.where
  }

  /** Entries waiting: queued, handed to the encoder, and (PostgreSQL) rows held for the store to come back. */
  get depth(): number {
    return this.queue.length + this.handedOver + this.held
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
    if (this.threaded && this.handOverTimer === undefined) {
      this.handOverTimer = setTimeout(() => this.handOver(), HANDOVER_MS)
      this.handOverTimer.unref()
    }
  }

  private handOver(): void {
    clearTimeout(this.handOverTimer)
    this.handOverTimer = undefined
    if (this.queue.length === 0) return
    const items = this.queue
    this.queue = []
    this.handedOver += items.length
    this.encoder.add(items)
  }

  /** Writes everything queued so far; concurrent callers share the flush in progress. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing
    if (this.queue.length === 0 && this.handedOver === 0 && this.held === 0) return
    if (this.retry?.waiting()) return
    if (this.storage && !this.storage.writable) return
    this.handOver()
    this.handedOver = 0
    this.flushing = this.write().finally(() => {
      this.flushing = undefined
    })
    return this.flushing
  }

  /** Inserts the encoded chunks, one statement per lane at a time (a second lane uses the second core). */
  private async write(): Promise<void> {
    const batch = await this.encoder.flush()
    if (batch.dropped) {
      this.dropped += batch.dropped
      logger.warn('log rows not written', { table: this.spec.table, rows: batch.dropped, errors: batch.errors })
    }
    let next = 0
    const send = async (c: EncodedChunk) => {
      const lane = this.lanes[next++ % this.lanes.length]!
      await lane.busy
      // The store just proved unreachable in this flush: the rest waits with it, untried.
      if (this.retry?.waiting()) this.retry.hold(c, false)
      else lane.busy = this.insert(lane, c)
    }
    // What waited for the store goes first, in its order.
    for (const c of this.retry?.take() ?? []) await send(c)
    for (const c of batch.chunks) await send(c)
    await Promise.all(this.lanes.map((l) => l.busy))
  }

  private async insert(lane: Lane, chunk: EncodedChunk): Promise<void> {
    try {
      lane.target ??= await this.open()
      await lane.target.insert(chunk.payload)
      this.written += chunk.rows
      this.retry?.succeeded()
    } catch (err) {
      if (this.retry?.unreachable(err)) {
        this.retry.hold(chunk, true)
        this.lastError = { message: (err as Error).message.split('\n')[0]!, at: new Date().toISOString() }
        closeLane(lane)
        logger.warn('log flush waits: the database is unreachable', { table: this.spec.table, error: this.lastError.message, rows: chunk.rows, held: this.retry.rows })
        return
      }
      this.dropped += chunk.rows
      this.failedWrites++
      this.lastError = { message: (err as Error).message.split('\n')[0]!, at: new Date().toISOString() }
      this.storage?.report(err)
      // The next statement on this lane starts from a fresh connection.
      closeLane(lane)
      logger.error('log flush failed', { table: this.spec.table, error: this.lastError.message, rows: chunk.rows })
    }
  }

  /** Stops the timers and writes everything still queued (shutdown loses nothing it has accepted). */
  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer)
    this.timers.length = 0
    clearTimeout(this.handOverTimer)
    this.handOverTimer = undefined
    await this.flushing
    // One last attempt whatever the back-off: shutdown must not wait out a 30 s step.
    this.retry?.retryNow()
    await this.flush()
    // Still queued: the disk was full, or the database unreachable, until the end.
    const left = this.depth
    if (left) {
      this.dropped += left
      logger.error('log entries not written at shutdown: the data folder is out of space or the database unreachable', { table: this.spec.table, rows: left })
      this.queue = []
      this.handedOver = 0
      this.retry?.take()
    }
    this.encoder.close()
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
