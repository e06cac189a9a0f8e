/**
 * How one value reads in the CLI's human output: numbers with thousands separators and sensible
 * decimals (never `18.025087999998505`), USD with a `$`, rates as percentages, times as
 * `YYYY-MM-DD HH:MM:SS` (UTC), lists joined, nested objects as `key=value`. The field name picks the
 * kind, so every command formats the same field the same way.
 */

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const DEC2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 })
const SIG3 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 })

/** A number for people: 1,234,567 · 12.35 · 0.00123 (three significant digits below one). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  if (Number.isInteger(n)) return INT.format(n)
  return Math.abs(n) >= 1 ? DEC2.format(n) : SIG3.format(n)
}

/** US dollars: $18.03, $0.0042 (small amounts keep three significant digits), $0. */
export function formatUsd(n: number): string {
  if (n === 0) return '$0'
  const sign = n < 0 ? '-' : ''
  const a = Math.abs(n)
  return `${sign}$${a >= 1 ? new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(a) : SIG3.format(a)}`
}

/** A share 0..1 as a percentage: 0.0123 → 1.23%. */
export function formatRate(n: number): string {
  return `${DEC2.format(n * 100)}%`
}

const ISO_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/

/** ISO 8601 or DuckDB timestamps (UTC) → `2026-12-04 16:30:30`; anything else unchanged. */
export function formatTime(s: string): string {
  const m = ISO_TIME.exec(s)
  if (!m) return s
  if (m[4] && m[4] !== 'Z') {
    const d = new Date(s)
    if (!Number.isNaN(d.getTime())) return d.toISOString().slice(0, 19).replace('T', ' ')
  }
  return `${m[1]} ${m[2]}`
}

/** Field names whose numbers are identifiers, not quantities: no thousands separators. */
const isIdField = (field: string) => /(^id$|Id$|_id$|^port$)/.test(field)

/** One value as text, formatted by what its field holds. */
export function formatValue(field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '-'
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  if (typeof v === 'number') {
    if (isIdField(field)) return String(v)
    if (/usd$/i.test(field)) return formatUsd(v)
    if (/rate$/i.test(field)) return formatRate(v)
    return formatNumber(v)
  }
  if (typeof v === 'string') return formatTime(v)
  if (Array.isArray(v)) return v.length === 0 ? '-' : v.map((x) => (x !== null && typeof x === 'object' ? inline(x as Record<string, unknown>) : formatValue(field, x))).join(', ')
  if (typeof v === 'object') return inline(v as Record<string, unknown>)
  return String(v)
}

/** A nested object on one line: `p50=120 p95=340`. */
function inline(o: Record<string, unknown>): string {
  const parts = Object.entries(o)
    .filter(([, x]) => x !== null && x !== undefined)
    .map(([k, x]) => `${k}=${formatValue(k, x)}`)
  return parts.length ? parts.join(' ') : '-'
}

/** A column heading from a field name: `latencyMs` → `LATENCY MS`, `base_url` → `BASE URL`. */
export function heading(field: string): string {
  return words(field).toUpperCase()
}

/** A field name as words: `requestsLastMinute` → `requests last minute`. */
export function words(field: string): string {
  return field
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .toLowerCase()
}
