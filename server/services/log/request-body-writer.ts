import type { DuckDBConnection } from '@duckdb/node-api'
import type { PgDatabase } from '../db/postgres/pg-database'
import type { LogSink, RequestLogEntry } from '../../gateway/log-entry'
import { BatchInserter, type LogStorage } from './batch-inserter'
import { bodyRecord } from './body-record'

/**
 * The body log's write path, apart from the metadata's: entries that carry bodies queue here (bounded:
 * bodies are large, so a full queue drops and counts rather than growing memory), and the flush does
 * the expensive part (redaction, base64 summaries, reassembly, encoding) before the batch is inserted.
 */
export class RequestBodyWriter extends BatchInserter<RequestLogEntry> implements LogSink {
  constructor(connect: (() => Promise<DuckDBConnection>) | PgDatabase, maxBytes: number, maxQueue = 2_000, intervalMs = 500, storage?: LogStorage) {
    super(
      connect,
      {
        table: 'request_bodies',
        columns: [
          ['request_id', 'VARCHAR'],
          ['ts', 'TIMESTAMP'],
          ['request_body', 'VARCHAR'],
          ['response_body', 'VARCHAR'],
          ['request_truncated', 'BOOLEAN'],
          ['response_truncated', 'BOOLEAN'],
          ['request_bytes', 'INTEGER'],
          ['response_bytes', 'INTEGER'],
        ],
        row: (e) => {
          try {
            const r = bodyRecord(e, maxBytes)
            if (!r) return null
            const { request: q, response: s } = r
            return [r.requestId, r.ts.getTime(), q?.text ?? null, s?.text ?? null, q?.truncated ?? false, s?.truncated ?? false, q?.bytes ?? null, s?.bytes ?? null]
          } finally {
            // The entry is also queued for the metadata writer: let go of the bodies now.
            e.requestBody = undefined
            e.responseBody = undefined
          }
        },
      },
      // Bodies are up to maxBytes each: fewer per statement keeps each step short.
      { maxQueue, intervalMs, maxRows: 500 },
      storage,
    )
  }

  override push(entry: RequestLogEntry): void {
    if (entry.requestBody === undefined && entry.responseBody === undefined) return
    super.push(entry)
  }
}
