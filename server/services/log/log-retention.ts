import type { Reader } from '../db/reader'
import { num } from '../db/reader'
import { logger } from '../../utils/logger'

export interface RetentionPolicy {
  /** Metadata rows older than this are deleted. */
  metadataDays: number
  /** Bodies older than this are deleted (bodies are large: keep them for less). */
  bodyDays: number
  /** Above this many MB in use, the oldest rows go (bodies first) until the log fits. 0: no limit. */
  maxDbMb: number
}

export interface RetentionResult {
  metadataDeleted: number
  bodiesDeleted: number
  sizeDeleted: number
  usedMb: number
}

/** What the rest of the app sees of retention, whichever engine runs it (PostgreSQL: PgLogRetention). */
export interface LogRetentionJob {
  readonly last: (RetentionResult & { at: string }) | undefined
  start(intervalMs?: number): void
  run(now?: Date): Promise<RetentionResult>
  usedMb(): Promise<number>
  stop(): void
  close(): Promise<void>
}

/**
 * The schedule both engines' retention shares: once at boot, then every `intervalMs`, never two
 * rounds at once; `close` waits for a round in progress. Subclasses say what one round does.
 */
export abstract class RetentionSchedule implements LogRetentionJob {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<RetentionResult> | undefined
  last: (RetentionResult & { at: string }) | undefined

  protected abstract enforce(now: Date): Promise<RetentionResult>
  abstract usedMb(): Promise<number>

  start(intervalMs = 10 * 60_000): void {
    const tick = () => void this.run().catch((e) => logger.error('log retention failed', { error: (e as Error).message }))
    setImmediate(tick)
    this.timer = setInterval(tick, intervalMs)
    this.timer.unref()
  }

  run(now = new Date()): Promise<RetentionResult> {
    this.running ??= this.enforce(now).finally(() => (this.running = undefined))
    return this.running
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }

  async close(): Promise<void> {
    this.stop()
    await this.running?.catch(() => undefined)
  }
}

/**
 * Keeps the log from filling the disk: by age (metadata and bodies separately) and by the database's
 * size in use. Runs on its own connection in DuckDB's threads, so requests and the log writers never
 * wait for it; runs once at boot and then every `intervalMs`, never two at once.
 */
export class LogRetention extends RetentionSchedule {
  constructor(
    private readonly db: Reader,
    private readonly policy: RetentionPolicy,
    /** The storage guard's say: a checkpoint on a full disk is FATAL for DuckDB, so none then. */
    private readonly canCheckpoint: () => boolean = () => true,
  ) {
    super()
  }


  protected async enforce(now: Date): Promise<RetentionResult> {
    const day = 86_400_000
    const metadataDeleted = await this.deleteBefore('request_log', new Date(now.getTime() - this.policy.metadataDays * day))
    const bodiesDeleted = await this.deleteBefore('request_bodies', new Date(now.getTime() - this.policy.bodyDays * day))
    let sizeDeleted = 0
    let usedMb = await this.usedMb()
    // Deleted rows free their space at the next checkpoint.
    // Until under the limit, or a round finds nothing left to delete (each round deletes at least one
    // row, so this ends); a fixed number of rounds fell short on a busy machine.
    while (this.policy.maxDbMb > 0 && usedMb > this.policy.maxDbMb && this.canCheckpoint()) {
      const n = await this.shrink(usedMb)
      if (n === 0) break
      sizeDeleted += n
      await this.db.run('CHECKPOINT')
      const after = await this.usedMb()
      // Blocks a checkpoint released may only show as free after the next one (seen on a busy
      // machine): measure again before deleting more than needed.
      if (after >= usedMb) await this.db.run('CHECKPOINT')
      usedMb = await this.usedMb()
    }
    const result = { metadataDeleted, bodiesDeleted, sizeDeleted, usedMb }
    this.last = { ...result, at: now.toISOString() }
    if (metadataDeleted || bodiesDeleted || sizeDeleted) logger.info('log retention', { ...result })
    return result
  }

  private async deleteBefore(table: 'request_log' | 'request_bodies', cutoff: Date): Promise<number> {
    return this.db.run(`DELETE FROM ${table} WHERE ts < CAST($1 AS TIMESTAMP)`, [cutoff.toISOString()])
  }

  /** Deletes the oldest share of rows that should bring the size under 90% of the limit: bodies first. */
  private async shrink(usedMb: number): Promise<number> {
    const excess = Math.min(1, (usedMb - this.policy.maxDbMb * 0.9) / usedMb)
    let deleted = 0
    for (const table of ['request_bodies', 'request_log'] as const) {
      const n = num((await this.db.all<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n)
      if (n === 0) continue
      const drop = Math.max(1, Math.ceil(n * excess))
      const cut = await this.db.all<{ t: string }>(`SELECT CAST(ts AS VARCHAR) AS t FROM ${table} ORDER BY ts LIMIT 1 OFFSET ${Math.min(drop, n) - 1}`)
      if (!cut[0]) continue
      const n2 = await this.db.run(`DELETE FROM ${table} WHERE ts <= CAST($1 AS TIMESTAMP)`, [cut[0].t])
      deleted += n2
      if (table === 'request_bodies' && n2 > 0) return deleted // bodies alone may be enough: measure again
    }
    return deleted
  }

  async usedMb(): Promise<number> {
    const r = (await this.db.all<Record<string, string>>('SELECT block_size, used_blocks FROM pragma_database_size() WHERE database_name = current_database()'))[0]
    return r ? (num(r.block_size) * num(r.used_blocks)) / 1_048_576 : 0
  }

}
