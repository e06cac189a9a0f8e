import type { Database } from '../db/database'
import type { LogSink, RequestLogEntry } from '../../gateway/log-entry'
import { BatchInserter, type BatchTable, type LogStorage } from './batch-inserter'
import { dbl, int } from './row-values'

const TABLE: BatchTable<RequestLogEntry> = {
  table: 'request_log',
  columns: [
    ['ts', 'TIMESTAMP'],
    ['request_id', 'VARCHAR'],
    ['client_key', 'VARCHAR'],
    ['dialect', 'VARCHAR'],
    ['upstream_dialect', 'VARCHAR'],
    ['model', 'VARCHAR'],
    ['provider_id', 'VARCHAR'],
    ['upstream_model', 'VARCHAR'],
    ['route', 'VARCHAR'],
    ['key_id', 'INTEGER'],
    ['stream', 'BOOLEAN'],
    ['status', 'INTEGER'],
    ['error_kind', 'VARCHAR'],
    ['error_message', 'VARCHAR'],
    ['latency_ms', 'DOUBLE'],
    ['ttfb_ms', 'DOUBLE'],
    ['input_tokens', 'INTEGER'],
    ['output_tokens', 'INTEGER'],
    ['cache_read_tokens', 'INTEGER'],
    ['cache_write_tokens', 'INTEGER'],
    ['reasoning_tokens', 'INTEGER'],
    ['bytes_in', 'INTEGER'],
    ['bytes_out', 'INTEGER'],
    ['client_ip', 'VARCHAR'],
    ['user_agent', 'VARCHAR'],
    ['attempts', 'VARCHAR'],
    ['error_id', 'VARCHAR'],
    ['upstream_latency_ms', 'DOUBLE'],
    ['cost_usd', 'DOUBLE'],
    ['session_id', 'VARCHAR'],
    ['operation', 'VARCHAR'],
    ['tokens_estimated', 'BOOLEAN'],
    ['warnings', 'VARCHAR'],
    ['cache_hit', 'BOOLEAN'],
  ],
  row: (e) => {
    const u = e.usage
    return [
      e.ts.getTime(),
      e.requestId,
      e.clientKey,
      e.dialect,
      e.upstreamDialect,
      e.model,
      e.providerId,
      e.upstreamModel,
      e.route,
      int(e.keyId),
      e.stream,
      int(e.status),
      e.errorKind,
      e.errorMessage,
      dbl(e.latencyMs) ?? 0,
      dbl(e.ttfbMs),
      int(u?.inputTokens),
      int(u?.outputTokens),
      int(u?.cacheReadTokens),
      int(u?.cacheWriteTokens),
      int(u?.reasoningTokens),
      int(e.bytesIn),
      int(e.bytesOut),
      e.clientIp,
      e.userAgent,
      // Nested: arrives as its JSON text, which is what the column keeps.
      e.attempts?.length ? e.attempts : null,
      e.errorId ?? null,
      dbl(e.upstreamLatencyMs),
      dbl(e.costUsd),
      e.sessionId ?? null,
      e.operation ?? 'chat',
      e.tokensEstimated ? true : null,
      e.warnings ?? null,
      e.cacheHit ? true : null,
    ]
  },
}

/**
 * The request log's metadata writer: a bounded queue, flushed every `intervalMs` in batches (see
 * BatchInserter). A full queue drops and counts; everything queued is written on close.
 */
export class RequestLogWriter extends BatchInserter<RequestLogEntry> implements LogSink {
  constructor(db: Pick<Database, 'connect'> & { guard?: LogStorage }, maxQueue = 50_000, intervalMs = 500) {
    super(() => db.connect(), TABLE, { maxQueue, intervalMs }, db.guard)
  }
}
