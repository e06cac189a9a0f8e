import type { Database } from '../db/database'
import { Reader, type LogReader } from '../db/reader'
import { PgDatabase } from '../db/postgres/pg-database'
import { PgReader } from '../db/postgres/pg-reader'
import { PgLogRetention } from '../db/postgres/pg-log-retention'
import { PartitionKeeper } from '../db/postgres/partitions'
import { RollupJob } from '../db/postgres/rollups'
import { listPrices, updatePrices } from '../db/price-repo'
import { PriceBook, type Price } from '../../gateway/pricing'
import type { LogFanout } from '../../gateway/log-entry'
import { RequestBodyWriter } from './request-body-writer'
import { encoderThreadFile } from './encoding/encoder-thread'
import { LogRetention, type LogRetentionJob } from './log-retention'

export interface RequestLogSettings {
  logBodies: boolean
  logBodyMaxKb: number
  logRetentionDays: number
  logBodyRetentionDays: number
  logMaxDbMb: number
  logEncoderThread: boolean
}

/**
 * The request log beyond the metadata writer: the body writer (when bodies are logged), the price
 * book the hot path prices requests with, retention, and the read connection the queries use.
 */
export class RequestLog {
  private constructor(
    readonly reader: LogReader,
    readonly prices: PriceBook,
    readonly bodies: RequestBodyWriter | undefined,
    readonly retention: LogRetentionJob,
    private readonly db: Database | PgDatabase,
    private readonly partitions?: PartitionKeeper,
    private readonly rollups?: RollupJob,
  ) {}

  static async open(db: Database | PgDatabase, s: RequestLogSettings, sinks: LogFanout): Promise<RequestLog> {
    if (db instanceof PgDatabase) return RequestLog.openPostgres(db, s, sinks)
    const reader = new Reader(await db.connect())
    const prices = new PriceBook(await listPrices(db))
    const bodies = s.logBodies ? new RequestBodyWriter(() => db.connect(), Math.round(s.logBodyMaxKb * 1024), undefined, undefined, db.guard, encoderThreadFile(s)) : undefined
    if (bodies) sinks.add(bodies)
    const retention = new LogRetention(reader, { metadataDays: s.logRetentionDays, bodyDays: s.logBodyRetentionDays, maxDbMb: s.logMaxDbMb }, () => db.guard.canCheckpoint())
    retention.start()
    return new RequestLog(reader, prices, bodies, retention, db)
  }

  /** PostgreSQL: today's and the next days' partitions first, then the same parts on the store's pool. */
  private static async openPostgres(db: PgDatabase, s: RequestLogSettings, sinks: LogFanout): Promise<RequestLog> {
    const partitions = new PartitionKeeper(db)
    await partitions.ensure()
    partitions.start()
    const prices = new PriceBook(await listPrices(db))
    const bodies = s.logBodies ? new RequestBodyWriter(db, Math.round(s.logBodyMaxKb * 1024), undefined, undefined, undefined, encoderThreadFile(s)) : undefined
    if (bodies) sinks.add(bodies)
    const retention = new PgLogRetention(db, { metadataDays: s.logRetentionDays, bodyDays: s.logBodyRetentionDays, maxDbMb: s.logMaxDbMb })
    retention.start()
    // Per-minute rollups for the stats over long ranges (one instance at a time does the work).
    const rollups = new RollupJob(db)
    rollups.start()
    return new RequestLog(new PgReader(db), prices, bodies, retention, db, partitions, rollups)
  }

  /** Edits the price table and swaps the in-memory book the hot path reads. */
  async updatePrices(upsert: Price[], remove: string[]): Promise<void> {
    await updatePrices(this.db, upsert, remove)
    this.prices.replace(await listPrices(this.db))
  }

  /** Flushes queued bodies; the metadata writer is closed by its owner. */
  async close(): Promise<void> {
    this.partitions?.stop()
    await this.rollups?.close()
    await this.retention.close()
    await this.bodies?.close()
    this.reader.close()
  }
}
