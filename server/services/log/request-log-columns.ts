import type { RequestLogEntry } from '../../gateway/log-entry'
import type { ColumnType, ColumnValue } from './batch-inserter'
import { dbl, errorMessage, int } from './row-values'
import { rowInstance } from './row-instance'

/**
 * One column of `request_log`: its name, its DuckDB type, whether it is NOT NULL, and how the writer
 * reads its value from a RequestLogEntry. The value's TypeScript type follows from the DuckDB type
 * (ColumnValue), so an INTEGER column cannot be handed a string.
 */
export interface RequestLogColumn<T extends ColumnType = ColumnType> {
  readonly name: string
  readonly type: T
  readonly notNull: boolean
  readonly value: (e: RequestLogEntry) => ColumnValue[T] | null
}

const col = <T extends ColumnType>(name: string, type: T, value: RequestLogColumn<T>['value'], notNull = false): RequestLogColumn<T> => ({ name, type, notNull, value })

/**
 * The request log's schema, defined once: the writer's column list and row, the DDL of columns added
 * later (`addRequestLogColumns`) and the migrations test all read this table. In the table's physical
 * order (the order the migrations created the columns in); a new column goes at the end, with a
 * migration that adds it (tests/unit/core/migrations.test.ts compares the two).
 */
export const REQUEST_LOG_COLUMNS: ReadonlyArray<RequestLogColumn> = [
  // Migration 1
  col('ts', 'TIMESTAMP', (e) => e.ts.getTime(), true),
  col('request_id', 'VARCHAR', (e) => e.requestId, true),
  col('client_key', 'VARCHAR', (e) => e.clientKey),
  col('dialect', 'VARCHAR', (e) => e.dialect, true),
  col('upstream_dialect', 'VARCHAR', (e) => e.upstreamDialect),
  col('model', 'VARCHAR', (e) => e.model),
  col('provider_id', 'VARCHAR', (e) => e.providerId),
  col('upstream_model', 'VARCHAR', (e) => e.upstreamModel),
  col('route', 'VARCHAR', (e) => e.route),
  col('key_id', 'INTEGER', (e) => int(e.keyId)),
  col('stream', 'BOOLEAN', (e) => e.stream, true),
  col('status', 'INTEGER', (e) => int(e.status), true),
  col('error_kind', 'VARCHAR', (e) => e.errorKind),
  col('error_message', 'VARCHAR', (e) => errorMessage(e.errorMessage)),
  col('latency_ms', 'DOUBLE', (e) => dbl(e.latencyMs) ?? 0, true),
  col('ttfb_ms', 'DOUBLE', (e) => dbl(e.ttfbMs)),
  col('input_tokens', 'INTEGER', (e) => int(e.usage?.inputTokens)),
  col('output_tokens', 'INTEGER', (e) => int(e.usage?.outputTokens)),
  col('cache_read_tokens', 'INTEGER', (e) => int(e.usage?.cacheReadTokens)),
  col('cache_write_tokens', 'INTEGER', (e) => int(e.usage?.cacheWriteTokens)),
  col('reasoning_tokens', 'INTEGER', (e) => int(e.usage?.reasoningTokens)),
  col('bytes_in', 'INTEGER', (e) => int(e.bytesIn)),
  col('bytes_out', 'INTEGER', (e) => int(e.bytesOut)),
  col('client_ip', 'VARCHAR', (e) => e.clientIp),
  col('user_agent', 'VARCHAR', (e) => e.userAgent),
  // Migration 2. Nested: travels as its JSON text, which is what the column keeps.
  col('attempts', 'JSON', (e) => (e.attempts?.length ? e.attempts : null)),
  // Migration 3
  col('error_id', 'VARCHAR', (e) => e.errorId ?? null),
  col('upstream_latency_ms', 'DOUBLE', (e) => dbl(e.upstreamLatencyMs)),
  col('cost_usd', 'DOUBLE', (e) => dbl(e.costUsd)),
  col('session_id', 'VARCHAR', (e) => e.sessionId ?? null),
  // Migration 5
  col('operation', 'VARCHAR', (e) => e.operation ?? 'chat'),
  col('tokens_estimated', 'BOOLEAN', (e) => (e.tokensEstimated ? true : null)),
  // Migration 6
  col('cache_hit', 'BOOLEAN', (e) => (e.cacheHit ? true : null)),
  // Migration 7
  col('warnings', 'VARCHAR', (e) => e.warnings ?? null),
  // Migration 19: which instance served it (the same for every row this process writes).
  col('instance', 'VARCHAR', () => rowInstance()),
]

/**
 * The DDL of a migration that adds columns of the table above (new columns only: the SQL of a
 * migration already shipped stays as written). DuckDB cannot add a NOT NULL column to a table that
 * has rows, so a new column must be nullable.
 */
export function addRequestLogColumns(...names: string[]): string {
  return names
    .map((name) => {
      const c = REQUEST_LOG_COLUMNS.find((x) => x.name === name)
      if (!c) throw new Error(`request_log has no column ${name} in REQUEST_LOG_COLUMNS`)
      if (c.notNull) throw new Error(`request_log.${name}: a column added later cannot be NOT NULL`)
      return `ALTER TABLE request_log ADD COLUMN ${c.name} ${c.type};`
    })
    .join('\n')
}
