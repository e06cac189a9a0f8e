import type { Database } from '../db/database'
import { PgDatabase } from '../db/postgres/pg-database'
import type { LogSink, RequestLogEntry } from '../../gateway/log-entry'
import { BatchInserter, type LogStorage } from './batch-inserter'
import type { EncoderThreadFile } from './encoding/encoder-thread'
import { REQUEST_LOG_TABLE } from './encoding/log-tables'

/**
 * The request log's metadata writer: a bounded queue, encoded on the log encoder thread when there is
 * one (`thread`), flushed every `intervalMs` in batches (see BatchInserter). A full queue drops and
 * counts; everything queued is written on close.
 */
export class RequestLogWriter extends BatchInserter<RequestLogEntry> implements LogSink {
  constructor(db: (Pick<Database, 'connect'> & { guard?: LogStorage }) | PgDatabase, maxQueue = 50_000, intervalMs = 500, thread: EncoderThreadFile | null = null) {
    const limits = { maxQueue, intervalMs, thread: { table: 'request_log' as const, opts: {}, where: thread } }
    if (db instanceof PgDatabase) super(db, REQUEST_LOG_TABLE, limits)
    else super(() => db.connect(), REQUEST_LOG_TABLE, limits, db.guard)
  }
}
