import type { LogReader } from './reader'
import { num, numOrNull } from './reader'
import { resolveRange, whereClause, type Range } from './log-filter-sql'
import type { LogFilter, LogListInput } from '../../../shared/schemas/request-log'
import { jsonColumn } from './table-rows'
import type { RequestLogEntry } from '../../gateway/log-entry'

/** One request-log row as the admin API shows it (never a secret: client keys by name, upstream keys by id). */
// The fields the hot path writes as they are keep their name and type from RequestLogEntry (one home).
export interface LogRow
  extends Pick<RequestLogEntry, 'requestId' | 'clientKey' | 'model' | 'providerId' | 'upstreamModel' | 'route' | 'keyId' | 'stream' | 'status' | 'errorKind' | 'errorMessage' | 'latencyMs' | 'ttfbMs' | 'clientIp' | 'userAgent'> {
  ts: string
  dialect: string
  upstreamDialect: string | null
  errorId: string | null
  upstreamLatencyMs: number | null
  inputTokens: number | null
  outputTokens: number | null
  cacheReadTokens: number | null
  cacheWriteTokens: number | null
  reasoningTokens: number | null
  costUsd: number | null
  bytesIn: number | null
  bytesOut: number | null
  sessionId: string | null
  /** Answered from the embeddings cache: no key, no upstream call. */
  cacheHit: boolean
  /** The instance that served it (NUXT_INSTANCE_ID, else hostname:pid); null on rows older than migration 19. */
  instance: string | null
}

export interface LogDetail extends LogRow {
  /** Lossy conversion steps, `code=field: sentence` per line (null: none); the client saw `code=field` in x-rosetta-warnings. */
  warnings: string | null
  /** `keyHint`/`keyName` name the upstream key (masked, never the key); null when the key is gone or none was used. */
  attempts: Array<{ provider: string; model: string; keyId: number | null; keyHint: string | null; keyName: string | null; status: number; errorKind: string | null; latencyMs: number }>
  bodies: {
    request: unknown
    response: unknown
    requestTruncated: boolean
    responseTruncated: boolean
    requestBytes: number | null
    responseBytes: number | null
  } | null
}

/** The row's time as ISO text with microseconds, in each engine's words. */
const TS_ISO = { duckdb: "strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ')", postgres: `to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` } as const

const REST = `request_id, client_key, dialect, upstream_dialect, model, provider_id,
  upstream_model, route, key_id, stream, status, error_kind, error_message, error_id, latency_ms, ttfb_ms, upstream_latency_ms,
  input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, bytes_in, bytes_out,
  client_ip, user_agent, session_id, cache_hit, instance`

const columns = (db: LogReader) => `${TS_ISO[db.engine]} AS ts, ${REST}`

function toRow(r: Record<string, unknown>): LogRow {
  return {
    ts: r.ts as string,
    requestId: r.request_id as string,
    clientKey: r.client_key as string | null,
    dialect: r.dialect as string,
    upstreamDialect: r.upstream_dialect as string | null,
    model: r.model as string | null,
    providerId: r.provider_id as string | null,
    upstreamModel: r.upstream_model as string | null,
    route: r.route as string | null,
    keyId: numOrNull(r.key_id),
    stream: r.stream as boolean,
    status: num(r.status),
    errorKind: r.error_kind as string | null,
    errorMessage: r.error_message as string | null,
    errorId: r.error_id as string | null,
    latencyMs: num(r.latency_ms),
    ttfbMs: numOrNull(r.ttfb_ms),
    upstreamLatencyMs: numOrNull(r.upstream_latency_ms),
    inputTokens: numOrNull(r.input_tokens),
    outputTokens: numOrNull(r.output_tokens),
    cacheReadTokens: numOrNull(r.cache_read_tokens),
    cacheWriteTokens: numOrNull(r.cache_write_tokens),
    reasoningTokens: numOrNull(r.reasoning_tokens),
    costUsd: numOrNull(r.cost_usd),
    bytesIn: numOrNull(r.bytes_in),
    bytesOut: numOrNull(r.bytes_out),
    clientIp: r.client_ip as string | null,
    userAgent: r.user_agent as string | null,
    sessionId: r.session_id as string | null,
    cacheHit: r.cache_hit === true,
    instance: r.instance as string | null,
  }
}

/**
 * `total` counts the matching rows up to this many: counting every row of a 30-day filter read
 * millions of rows (1-4 s at 10M rows on PostgreSQL); past the cap `total` is the cap and
 * `totalExact` false (the UI shows "10,000+").
 */
export const LOG_TOTAL_CAP = 10_000

/** Newest first, keyset-paginated on (ts, request_id). `total` counts the matching rows up to LOG_TOTAL_CAP. */
export async function listLogs(db: LogReader, input: LogListInput, now = new Date()): Promise<{ items: LogRow[]; nextCursor: string | null; total: number; totalExact: boolean }> {
  const range = resolveRange(input, now)
  const page = await logPage(db, input, range, input.cursor ?? null, input.limit)
  const w = whereClause(input, range)
  // Stops at the cap + 1st matching row on both engines (the LIMIT inside the count).
  const count = await db.all<{ n: string }>(`SELECT count(*) AS n FROM (SELECT 1 FROM request_log WHERE ${w.sql} LIMIT ${LOG_TOTAL_CAP + 1}) capped`, w.params)
  const n = num(count[0]?.n)
  return { ...page, total: Math.min(n, LOG_TOTAL_CAP), totalExact: n <= LOG_TOTAL_CAP }
}

/**
 * One page of the filtered log, newest first, after `cursor` (the previous page's `nextCursor`,
 * `ts|request_id`). The export walks the whole filter with it one page at a time.
 */
export async function logPage(db: LogReader, f: LogFilter, range: Range, cursor: string | null, limit: number): Promise<{ items: LogRow[]; nextCursor: string | null }> {
  const w = whereClause(f, range)
  const params = [...w.params]
  let page = w.sql
  if (cursor) {
    const sep = cursor.indexOf('|')
    params.push(cursor.slice(0, sep), cursor.slice(sep + 1))
    // The plain `ts <=` beside the tuple lets DuckDB skip the row groups after the cursor.
    page += ` AND ts <= CAST($${params.length - 1} AS TIMESTAMP) AND (ts, request_id) < (CAST($${params.length - 1} AS TIMESTAMP), $${params.length})`
  }
  // Late materialisation: find the page on two narrow columns, then read the wide rows of just that
  // page (its time span lets DuckDB skip every other row group). Sorting whole wide rows was 5x slower.
  const keys = await db.all<{ t: string; id: string }>(
    `SELECT CAST(ts AS VARCHAR) AS t, request_id AS id FROM request_log WHERE ${page} ORDER BY ts DESC, request_id DESC LIMIT ${limit + 1}`,
    params,
  )
  const rows = keys.length
    ? await db.all(
        `SELECT ${columns(db)} FROM request_log WHERE ts BETWEEN CAST($1 AS TIMESTAMP) AND CAST($2 AS TIMESTAMP) AND request_id IN (${keys.map((_, i) => `$${i + 3}`).join(', ')})
         ORDER BY request_log.ts DESC, request_id DESC`,
        [keys[keys.length - 1]!.t, keys[0]!.t, ...keys.map((k) => k.id)],
      )
    : []
  const items = rows.slice(0, limit).map(toRow)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > limit && last ? `${last.ts}|${last.requestId}` : null }
}

/** One request with its attempts and (when logged and not yet expired) its bodies. */
export async function getLog(db: LogReader, requestId: string): Promise<LogDetail | null> {
  const rows = await db.all(`SELECT ${columns(db)}, attempts, warnings FROM request_log WHERE request_id = $1 LIMIT 1`, [requestId])
  const r = rows[0]
  if (!r) return null
  const b = (await db.all('SELECT * FROM request_bodies WHERE request_id = $1 LIMIT 1', [requestId]))[0]
  return {
    ...toRow(r),
    warnings: (r.warnings as string | null) ?? null,
    attempts: await withKeyHints(db, jsonColumn<StoredAttempt[]>(r.attempts, [])),
    bodies: b
      ? {
          request: parseMaybe(b.request_body),
          response: parseMaybe(b.response_body),
          requestTruncated: b.request_truncated as boolean,
          responseTruncated: b.response_truncated as boolean,
          requestBytes: numOrNull(b.request_bytes),
          responseBytes: numOrNull(b.response_bytes),
        }
      : null,
  }
}

type StoredAttempt = Omit<LogDetail['attempts'][number], 'keyHint' | 'keyName'>

/** The log stores an attempt's key by id; the admin sees it by its masked hint and name. */
async function withKeyHints(db: LogReader, attempts: StoredAttempt[]): Promise<LogDetail['attempts']> {
  const ids = [...new Set(attempts.map((a) => a.keyId).filter((id): id is number => typeof id === 'number'))]
  const keys = ids.length
    ? await db.all<{ id: number; key_hint: string; name: string | null }>(
        `SELECT id, key_hint, name FROM provider_keys WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`,
        ids,
      )
    : []
  const byId = new Map(keys.map((k) => [Number(k.id), k]))
  return attempts.map((a) => {
    const k = a.keyId === null ? undefined : byId.get(a.keyId)
    return { ...a, keyHint: k?.key_hint ?? null, keyName: k?.name ?? null }
  })
}

/** Whole bodies come back as JSON; a capped one is no longer JSON and comes back as its text. */
function parseMaybe(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null
  try {
    return JSON.parse(v)
  } catch {
    return v
  }
}
