import type { LogRow } from '../db/log-repo'

/** The export's formats: CSV (RFC 4180) and JSON lines, one request per line in both. */
export const EXPORT_FORMATS = ['csv', 'jsonl'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** Every column of a log row, in the order the CSV header lists them (the request log's own names). */
export const EXPORT_COLUMNS: ReadonlyArray<readonly [header: string, field: keyof LogRow]> = [
  ['ts', 'ts'],
  ['request_id', 'requestId'],
  ['client_key', 'clientKey'],
  ['dialect', 'dialect'],
  ['upstream_dialect', 'upstreamDialect'],
  ['model', 'model'],
  ['provider_id', 'providerId'],
  ['upstream_model', 'upstreamModel'],
  ['route', 'route'],
  ['key_id', 'keyId'],
  ['stream', 'stream'],
  ['status', 'status'],
  ['error_kind', 'errorKind'],
  ['error_message', 'errorMessage'],
  ['error_id', 'errorId'],
  ['latency_ms', 'latencyMs'],
  ['ttfb_ms', 'ttfbMs'],
  ['upstream_latency_ms', 'upstreamLatencyMs'],
  ['input_tokens', 'inputTokens'],
  ['output_tokens', 'outputTokens'],
  ['cache_read_tokens', 'cacheReadTokens'],
  ['cache_write_tokens', 'cacheWriteTokens'],
  ['reasoning_tokens', 'reasoningTokens'],
  ['cost_usd', 'costUsd'],
  ['bytes_in', 'bytesIn'],
  ['bytes_out', 'bytesOut'],
  ['client_ip', 'clientIp'],
  ['user_agent', 'userAgent'],
  ['session_id', 'sessionId'],
  ['cache_hit', 'cacheHit'],
  ['instance', 'instance'],
]

/**
 * One CSV field. Quoted when it holds a comma, quote, CR or LF (quotes doubled), per RFC 4180.
 * Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading `'`:
 * error messages and user agents come from outside, and an export is opened in Excel.
 */
export function csvCell(v: string | number | boolean | null): string {
  if (v === null) return ''
  if (typeof v !== 'string') return String(v)
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function csvHeader(): string {
  return `${EXPORT_COLUMNS.map(([h]) => h).join(',')}\r\n`
}

export function csvLine(r: LogRow): string {
  return `${EXPORT_COLUMNS.map(([, f]) => csvCell(r[f])).join(',')}\r\n`
}

/** One JSON object per line, keyed by the same column names as the CSV header. */
export function jsonLine(r: LogRow): string {
  const o: Record<string, string | number | boolean | null> = {}
  for (const [h, f] of EXPORT_COLUMNS) o[h] = r[f]
  return `${JSON.stringify(o)}\n`
}

/** `rosetta-log-20261204-2038.csv`: the UTC minute the export started. */
export function exportFileName(format: ExportFormat, now: Date): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')
  return `rosetta-log-${stamp}.${format}`
}
