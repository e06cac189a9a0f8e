import type { Database } from '../db/database'
import { Reader } from '../db/reader'
import { listPrices, updatePrices } from '../db/price-repo'
import { PriceBook, type Price } from '../../gateway/pricing'
import type { LogFanout } from '../../gateway/log-entry'
import { RequestBodyWriter } from './request-body-writer'
import { LogRetention } from './log-retention'

export interface RequestLogSettings {
  logBodies: boolean
  logBodyMaxKb: number
  logRetentionDays: number
  logBodyRetentionDays: number
  logMaxDbMb: number
}

/**
 * The request log beyond the metadata writer: the body writer (when bodies are logged), the price
 * book the hot path prices requests with, retention, and the read connection the queries use.
 */
export class RequestLog {
  private constructor(
    readonly reader: Reader,
    readonly prices: PriceBook,
    readonly bodies: RequestBodyWriter | undefined,
    readonly retention: LogRetention,
    private readonly db: Database,
  ) {}

  static async open(db: Database, s: RequestLogSettings, sinks: LogFanout): Promise<RequestLog> {
    const reader = new Reader(await db.connect())
    const prices = new PriceBook(await listPrices(db))
    const bodies = s.logBodies ? new RequestBodyWriter(() => db.connect(), Math.round(s.logBodyMaxKb * 1024), undefined, undefined, db.guard) : undefined
    if (bodies) sinks.add(bodies)
    const retention = new LogRetention(reader, { metadataDays: s.logRetentionDays, bodyDays: s.logBodyRetentionDays, maxDbMb: s.logMaxDbMb }, () => db.guard.canCheckpoint())
    retention.start()
    return new RequestLog(reader, prices, bodies, retention, db)
  }

  /** Edits the price table and swaps the in-memory book the hot path reads. */
  async updatePrices(upsert: Price[], remove: string[]): Promise<void> {
    await updatePrices(this.db, upsert, remove)
    this.prices.replace(await listPrices(this.db))
  }

  /** Flushes queued bodies; the metadata writer is closed by its owner. */
  async close(): Promise<void> {
    await this.retention.close()
    await this.bodies?.close()
    this.reader.close()
  }
}
