import type { DuckDBConnection } from '@duckdb/node-api'
import { logger } from '../../utils/logger'

export interface CheckpointStats {
  checkpoints: number
  failures: number
  /** Checkpoints not attempted because the storage guard said the disk is too full for one. */
  skipped: number
  lastAt: string | null
  lastMs: number | null
  lastError: string | null
}

/**
 * Folds the WAL into the database file, on its own connection:
 * - on request (`now()`), awaited by configuration writes before they answer, so configuration never
 *   lives only in the WAL; callers arriving while one runs share the next one (group commit);
 * - on a timer when the WAL holds anything, so it never holds more than
 *   `intervalMs` of history (the log writers included), whatever DuckDB's size threshold says.
 *
 * A plain CHECKPOINT: in DuckDB 1.5 it runs beside other connections' open transactions (checked:
 * it folds every committed write in and empties the WAL) without holding new ones back. Should it be
 * refused for them, FORCE CHECKPOINT waits for them instead (DuckDB ≥ 1.4), blocking new transactions
 * for its duration (on DuckDB's threads, never the event loop).
 *
 * A checkpoint that cannot write the file (disk full) is FATAL for DuckDB: it invalidates the whole
 * instance. `allowed()` (the storage guard) is asked first, and a refused checkpoint is skipped: the
 * data stays in the WAL, which the next boot replays.
 */
export class Checkpointer {
  private conn: DuckDBConnection | undefined
  private running: Promise<void> | undefined
  private next: Promise<void> | undefined
  private timer: NodeJS.Timeout | undefined
  readonly stats: CheckpointStats = { checkpoints: 0, failures: 0, skipped: 0, lastAt: null, lastMs: null, lastError: null }

  constructor(
    private readonly connect: () => Promise<DuckDBConnection>,
    private readonly allowed: () => boolean = () => true,
    /** Bytes in the WAL now: the timer checkpoints only when there is something to fold in. */
    private readonly walBytes: () => number = () => 1,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.walBytes() > 0) void this.now()
    }, intervalMs)
    this.timer.unref()
  }

  /**
   * A checkpoint that starts after this call (one already running may have missed the caller's
   * write). Never rejects: a failure is counted, logged and reported by health.
   */
  now(): Promise<void> {
    if (!this.running) {
      this.running = this.run().finally(() => (this.running = undefined))
      return this.running
    }
    this.next ??= this.running.then(() => {
      this.next = undefined
      return this.now()
    })
    return this.next
  }

  private async run(): Promise<void> {
    if (!this.allowed()) {
      this.stats.skipped++
      return
    }
    const t0 = performance.now()
    try {
      this.conn ??= await this.connect()
      await this.conn.run('CHECKPOINT').catch((e: Error) => {
        if (/transaction/i.test(e.message)) return this.conn!.run('FORCE CHECKPOINT')
        throw e
      })
      this.stats.checkpoints++
      this.stats.lastAt = new Date().toISOString()
      this.stats.lastMs = Math.round(performance.now() - t0)
      this.stats.lastError = null
    } catch (e) {
      this.stats.failures++
      this.stats.lastError = (e as Error).message.split('\n')[0]!
      logger.error('checkpoint failed: recent writes are only in the WAL', { error: this.stats.lastError })
      try {
        this.conn?.closeSync()
      } catch {
        /* closed already */
      }
      this.conn = undefined
    }
  }

  /** Waits for a checkpoint in progress, then lets go of the connection. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.next
    await this.running
    this.stop()
  }

  /** Stops the timer and closes the connection (call `close` first if one may be running). */
  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    try {
      this.conn?.closeSync()
    } catch {
      /* closed already */
    }
    this.conn = undefined
  }
}
