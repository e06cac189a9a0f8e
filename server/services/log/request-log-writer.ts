import { timestampValue, type DuckDBAppender } from '@duckdb/node-api'
import type { Database } from '../db/database'
import type { LogSink, RequestLogEntry } from '../../gateway/log-entry'
import { logger } from '../../utils/logger'

/**
 * The request log's write path: an append to a bounded in-memory queue, flushed in batches through a
 * DuckDB appender. One INSERT per request would halve throughput; a full queue drops and counts
 * instead of slowing anyone down. Everything queued is flushed on close.
 */
export class RequestLogWriter implements LogSink {
  private queue: RequestLogEntry[] = []
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> | undefined
  dropped = 0
  written = 0

  constructor(
    private readonly db: Database,
    private readonly maxQueue = 50_000,
    private readonly intervalMs = 500,
  ) {
    this.timer = setInterval(() => void this.flush(), this.intervalMs)
    this.timer.unref()
  }

  get depth(): number {
    return this.queue.length
  }

  push(entry: RequestLogEntry): void {
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

  /** One long-lived appender: creating one per batch cost more than the rows it wrote. */
  private appender: DuckDBAppender | undefined

  private async write(batch: RequestLogEntry[]): Promise<void> {
    try {
      this.appender ??= await this.db.conn.createAppender('request_log')
      for (const e of batch) appendRow(this.appender, e)
      this.appender.flushSync()
      this.written += batch.length
    } catch (err) {
      this.dropped += batch.length
      try {
        this.appender?.closeSync()
      } catch {
        /* already broken */
      }
      this.appender = undefined
      logger.error('request log flush failed', { error: (err as Error).message, rows: batch.length })
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.flushing
    await this.flush()
    this.appender?.closeSync()
    this.appender = undefined
  }
}

function appendRow(a: DuckDBAppender, e: RequestLogEntry): void {
  const str = (v: string | null) => (v === null ? a.appendNull() : a.appendVarchar(v))
  const int = (v: number | null | undefined) => (v === null || v === undefined ? a.appendNull() : a.appendInteger(Math.round(v)))
  const dbl = (v: number | null) => (v === null ? a.appendNull() : a.appendDouble(v))
  a.appendTimestamp(timestampValue(BigInt(e.ts.getTime()) * 1000n))
  str(e.requestId)
  str(e.clientKey)
  str(e.dialect)
  str(e.upstreamDialect)
  str(e.model)
  str(e.providerId)
  str(e.upstreamModel)
  str(e.route)
  int(e.keyId)
  a.appendBoolean(e.stream)
  int(e.status)
  str(e.errorKind)
  str(e.errorMessage)
  dbl(e.latencyMs)
  dbl(e.ttfbMs)
  int(e.usage?.inputTokens)
  int(e.usage?.outputTokens)
  int(e.usage?.cacheReadTokens)
  int(e.usage?.cacheWriteTokens)
  int(e.usage?.reasoningTokens)
  int(e.bytesIn)
  int(e.bytesOut)
  str(e.clientIp)
  str(e.userAgent)
  str(e.attempts?.length ? JSON.stringify(e.attempts) : null)
  // Migration 003's columns, then 005's: the appender writes by position, in table order.
  str(e.errorId ?? null)
  dbl(e.upstreamLatencyMs ?? null)
  dbl(e.costUsd ?? null)
  str(e.sessionId ?? null)
  str(e.operation ?? 'chat')
  e.tokensEstimated ? a.appendBoolean(true) : a.appendNull()
  a.endRow()
}
