import type { SqlValue } from './sql-db'
import { parseSince, type LogFilter } from '../../../shared/schemas/request-log'

export interface Range {
  from: Date
  to: Date
}

/** `since` back from now, or from/to; the last 24 hours by default. */
export function resolveRange(f: { since?: string; from?: Date; to?: Date }, now = new Date()): Range {
  const to = f.to ?? now
  const from = f.since ? new Date(to.getTime() - parseSince(f.since)) : (f.from ?? new Date(to.getTime() - 86_400_000))
  return { from, to }
}

/** Timestamps are stored as UTC TIMESTAMP (no zone); parameters are cast to match. */
export const ts = (d: Date) => d.toISOString()

/**
 * A filter as SQL conditions with positional parameters. The time range comes first: rows are
 * appended in time order, so DuckDB's per-row-group min/max on `ts` skips everything outside it.
 */
export function whereClause(f: LogFilter, range: Range, alias = ''): { sql: string; params: SqlValue[] } {
  const c = alias ? `${alias}.` : ''
  const params: SqlValue[] = []
  const p = (v: SqlValue) => {
    params.push(v)
    return `$${params.length}`
  }
  const conds = [`${c}ts >= CAST(${p(ts(range.from))} AS TIMESTAMP)`, `${c}ts < CAST(${p(ts(range.to))} AS TIMESTAMP)`]
  if (f.requestId) conds.push(`${c}request_id = ${p(f.requestId)}`)
  if (f.model) conds.push(`(${c}model = ${p(f.model)} OR ${c}upstream_model = $${params.length})`)
  if (f.provider) conds.push(`${c}provider_id = ${p(f.provider)}`)
  if (f.clientKey) conds.push(`${c}client_key = ${p(f.clientKey)}`)
  if (f.keyId !== undefined) conds.push(`${c}key_id = ${p(f.keyId)}`)
  if (f.sessionId) conds.push(`${c}session_id = ${p(f.sessionId)}`)
  if (f.instance) conds.push(`${c}instance = ${p(f.instance)}`)
  if (f.stream !== undefined) conds.push(`${c}stream = ${p(f.stream)}`)
  if (f.status === '2xx') conds.push(`${c}status BETWEEN 200 AND 299 AND ${c}error_kind IS NULL`)
  else if (f.status === '4xx') conds.push(`${c}status BETWEEN 400 AND 499`)
  else if (f.status === '5xx') conds.push(`${c}status >= 500`)
  // A request the client abandoned (499, `cancelled`) is nobody's error.
  else if (f.status === 'error') conds.push(`(${c}error_kind IS NOT NULL OR ${c}status >= 400) AND ${c}error_kind IS DISTINCT FROM 'cancelled'`)
  if (f.search) {
    // ESCAPE turns off DuckDB's fast substring path (2x slower): only pay for it when needed.
    const needsEscape = /[\\%_]/.test(f.search)
    const pat = needsEscape ? `%${f.search.replace(/[\\%_]/g, '\\$&')}%` : `%${f.search}%`
    conds.push(`(${c}error_message ILIKE ${p(pat)}${needsEscape ? " ESCAPE '\\'" : ''} OR ${c}error_kind = ${p(f.search)})`)
  }
  return { sql: conds.join(' AND '), params }
}
