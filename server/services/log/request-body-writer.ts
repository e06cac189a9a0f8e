import type { DuckDBConnection } from '@duckdb/node-api'
import type { PgDatabase } from '../db/postgres/pg-database'
import type { LogSink, RequestLogEntry } from '../../gateway/log-entry'
import { BatchInserter, type LogStorage } from './batch-inserter'
import type { EncoderThreadFile } from './encoding/encoder-thread'
import { requestBodiesTable } from './encoding/log-tables'

/**
 * The body log's write path, apart from the metadata's: entries that carry bodies queue here (bounded:
 * bodies are large, so a full queue drops and counts rather than growing memory), and the encoder
 * does the expensive part (redaction, base64 summaries, reassembly, encoding) — on the log encoder
 * thread when there is one — before the batch is inserted.
 */
export class RequestBodyWriter extends BatchInserter<RequestLogEntry> implements LogSink {
  constructor(connect: (() => Promise<DuckDBConnection>) | PgDatabase, maxBytes: number, maxQueue = 2_000, intervalMs = 500, storage?: LogStorage, thread: EncoderThreadFile | null = null) {
    super(
      connect,
      requestBodiesTable(maxBytes),
      // Bodies are up to maxBytes each: fewer per statement keeps each step short.
      { maxQueue, intervalMs, maxRows: 500, thread: { table: 'request_bodies', opts: { bodyMaxBytes: maxBytes }, where: thread } },
      storage,
    )
  }

  override push(entry: RequestLogEntry): void {
    if (entry.requestBody === undefined && entry.responseBody === undefined) return
    super.push(entry)
  }
}
