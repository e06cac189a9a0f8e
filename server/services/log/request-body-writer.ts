import { timestampValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api'
import type { LogSink, RequestLogEntry } from '../../gateway/log-entry'
import { logger } from '../../utils/logger'
import { bodyRecord, type BodyRecord, type StoredBody } from './body-record'

/**
 * The body log's write path, apart from the metadata's: entries that carry bodies queue here (bounded:
 * bodies are large, so a full queue drops and counts rather than growing memory), and the flush does
 * the expensive part (redaction, base64 summaries, reassembly, encoding) then appends in one batch.
 */
export class RequestBodyWriter implements LogSink {
  private queue: RequestLogEntry[] = []
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> | undefined
  private appender: DuckDBAppender | undefined
  dropped = 0
  written = 0

  constructor(
    private readonly conn: () => DuckDBConnection,
    private readonly maxBytes: number,
    private readonly maxQueue = 2_000,
    intervalMs = 500,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs)
    this.timer.unref()
  }

  get depth(): number {
    return this.queue.length
  }

  push(entry: RequestLogEntry): void {
    if (entry.requestBody === undefined && entry.responseBody === undefined) return
    if (this.queue.length >= this.maxQueue) {
      this.dropped++
      return
    }
    this.queue.push(entry)
  }

  async flush(): Promise<void> {
    if (this.flushing) return this.flushing
    if (this.queue.length === 0) return
    const batch = this.queue
    this.queue = []
    this.flushing = this.write(batch).finally(() => {
      this.flushing = undefined
    })
    return this.flushing
  }

  private async write(batch: RequestLogEntry[]): Promise<void> {
    const rows: BodyRecord[] = []
    for (const e of batch) {
      try {
        const r = bodyRecord(e, this.maxBytes)
        if (r) rows.push(r)
      } catch (err) {
        this.dropped++
        logger.warn('request body not logged', { requestId: e.requestId, error: (err as Error).message })
      } finally {
        // The entry is also queued for the metadata writer: let go of the bodies now.
        e.requestBody = undefined
        e.responseBody = undefined
      }
    }
    if (rows.length === 0) return
    try {
      this.appender ??= await this.conn().createAppender('request_bodies')
      for (const r of rows) appendBody(this.appender, r)
      this.appender.flushSync()
      this.written += rows.length
    } catch (err) {
      this.dropped += rows.length
      try {
        this.appender?.closeSync()
      } catch {
        /* already broken */
      }
      this.appender = undefined
      logger.error('request body flush failed', { error: (err as Error).message, rows: rows.length })
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.flushing
    await this.flush()
    try {
      this.appender?.closeSync()
    } catch {
      /* the database is gone already */
    }
    this.appender = undefined
  }
}

function appendBody(a: DuckDBAppender, r: BodyRecord): void {
  const text = (b: StoredBody | null) => (b ? a.appendVarchar(b.text) : a.appendNull())
  const int = (b: StoredBody | null) => (b ? a.appendInteger(b.bytes) : a.appendNull())
  a.appendVarchar(r.requestId)
  a.appendTimestamp(timestampValue(BigInt(r.ts.getTime()) * 1000n))
  text(r.request)
  text(r.response)
  a.appendBoolean(r.request?.truncated ?? false)
  a.appendBoolean(r.response?.truncated ?? false)
  int(r.request)
  int(r.response)
  a.endRow()
}
