import { statfsSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { logger } from '../../utils/logger'

const MB = 1024 * 1024

/** Matches DuckDB's and Node's ways of saying the disk is full. */
export const isDiskFull = (e: unknown): boolean => /no space left|ENOSPC|disk quota|disk is full/i.test(e instanceof Error ? e.message : String(e))

/** The refusal a configuration write gets while the disk is full (the admin API shows it as is). */
export class StorageFullError extends Error {
  constructor(dir: string, freeMb: number) {
    super(`the data folder ${dir} is out of space (${freeMb} MB free): configuration is read-only until space returns`)
  }
}

export interface StorageHealth {
  path: string | null
  /** False while the disk is too full to write: the request log queues (bounded) and configuration is read-only. */
  writable: boolean
  freeMb: number | null
  totalMb: number | null
  minFreeMb: number
  readOnlySince: string | null
  /** Times the data folder went read-only since boot. */
  readOnlyEpisodes: number
}

/**
 * Watches the free space of the data folder, because DuckDB does not survive running out of it:
 * a checkpoint that cannot write the file invalidates the instance (FATAL), and a commit that fails
 * after a transaction replaced a primary-key row aborts the process outright (DuckDB 1.5: "Failed to
 * append to PRIMARY_…" thrown as a FatalException from the rollback; every configuration write and
 * the boot's rosetta.yaml apply are such transactions). So below `minFreeMb` nothing is attempted:
 * the log writers hold their (bounded) queues, checkpoints wait, configuration writes are refused
 * with a clear message; above twice that the log resumes by itself. Readings are cheap (one statfs),
 * taken every `intervalMs` and whenever a write reports a full disk.
 */
export class StorageGuard {
  private free: number | null = null
  private total: number | null = null
  private low = false
  private since: Date | null = null
  private episodes = 0
  private remindedAt = 0
  private timer: NodeJS.Timeout | undefined
  private readonly listeners: Array<(writable: boolean) => void> = []

  constructor(
    /** The database file (null: in memory, always writable). */
    readonly file: string | null,
    readonly minFreeMb: number,
  ) {
    this.check()
  }

  get dir(): string | null {
    return this.file ? dirname(this.file) : null
  }

  get writable(): boolean {
    return !this.low
  }

  start(intervalMs = 2_000): void {
    this.timer = setInterval(() => this.check(), intervalMs)
    this.timer.unref()
  }

  /** Called with the new state when the folder goes read-only or writable again. */
  onChange(fn: (writable: boolean) => void): void {
    this.listeners.push(fn)
  }

  /** A checkpoint writes about what the WAL holds into the file: only with that much room to spare. */
  canCheckpoint(): boolean {
    if (!this.file || this.free === null) return true
    if (this.low) return false
    return this.free > this.walBytes() + this.minFreeMb * MB
  }

  /** Throws StorageFullError while the folder is read-only (configuration writes call this first). */
  assertWritable(): void {
    this.check()
    if (this.low) throw new StorageFullError(this.dir ?? '', Math.round((this.free ?? 0) / MB))
  }

  /** A write failed: if it was the disk, go read-only now rather than at the next reading. */
  report(e: unknown): void {
    if (isDiskFull(e)) this.check(true)
  }

  check(failed = false): void {
    const dir = this.dir
    if (!dir) return
    try {
      const s = statfsSync(dir)
      this.free = s.bavail * s.bsize
      this.total = s.blocks * s.bsize
    } catch {
      return
    }
    const min = this.minFreeMb * MB
    const wasLow = this.low
    if (!this.low && (this.free < min || failed)) this.low = true
    else if (this.low && this.free >= 2 * min && !failed) this.low = false
    const freeMb = Math.round(this.free / MB)
    if (this.low === wasLow) {
      // Still full: say it again every minute, so it is not one line lost in a day's log.
      if (this.low && Date.now() - this.remindedAt > 60_000) {
        this.remindedAt = Date.now()
        logger.error('DATA FOLDER STILL OUT OF SPACE: the request log is not being written, configuration is read-only', { path: dir, freeMb, minFreeMb: this.minFreeMb, sinceS: Math.round((Date.now() - (this.since?.getTime() ?? Date.now())) / 1000) })
      }
      return
    }
    this.remindedAt = Date.now()
    if (this.low) {
      this.since = new Date()
      this.episodes++
      logger.error('DATA FOLDER OUT OF SPACE: the request log is read-only (entries wait in memory, bounded, then are dropped and counted) and configuration changes are refused until space returns; proxying continues', { path: dir, freeMb, minFreeMb: this.minFreeMb })
    } else {
      logger.warn('data folder has space again: the request log resumes writing', { path: dir, freeMb, readOnlyForS: Math.round((Date.now() - (this.since?.getTime() ?? Date.now())) / 1000) })
      this.since = null
    }
    for (const fn of this.listeners) fn(!this.low)
  }

  walBytes(): number {
    try {
      return statSync(`${this.file}.wal`).size
    } catch {
      return 0
    }
  }

  health(): StorageHealth {
    const mb = (n: number | null) => (n === null ? null : Math.round(n / MB))
    return {
      path: this.dir,
      writable: !this.low,
      freeMb: mb(this.free),
      totalMb: mb(this.total),
      minFreeMb: this.minFreeMb,
      readOnlySince: this.since?.toISOString() ?? null,
      readOnlyEpisodes: this.episodes,
    }
  }

  /** Free bytes as last read (for /metrics). */
  get freeBytes(): number | null {
    return this.free
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }
}
