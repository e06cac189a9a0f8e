import type { Database } from '../db/database'
import { PgDatabase } from '../db/postgres/pg-database'
import type { LogSink, RequestLogEntry } from '../../gateway/log-entry'
import { BatchInserter, type BatchTable, type LogStorage } from './batch-inserter'
import { REQUEST_LOG_COLUMNS } from './request-log-columns'

/** The writer's column list and row, both read off the one column table. */
const TABLE: BatchTable<RequestLogEntry> = {
  table: 'request_log',
  columns: REQUEST_LOG_COLUMNS.map((c) => [c.name, c.type] as const),
  row: (e) => {
    const row = new Array<unknown>(REQUEST_LOG_COLUMNS.length)
    for (let i = 0; i < row.length; i++) row[i] = REQUEST_LOG_COLUMNS[i]!.value(e)
    return row
  },
}

/**
 * The request log's metadata writer: a bounded queue, flushed every `intervalMs` in batches (see
 * BatchInserter). A full queue drops and counts; everything queued is written on close.
 */
export class RequestLogWriter extends BatchInserter<RequestLogEntry> implements LogSink {
  constructor(db: (Pick<Database, 'connect'> & { guard?: LogStorage }) | PgDatabase, maxQueue = 50_000, intervalMs = 500) {
    if (db instanceof PgDatabase) super(db, TABLE, { maxQueue, intervalMs })
    else super(() => db.connect(), TABLE, { maxQueue, intervalMs }, db.guard)
  }
}
