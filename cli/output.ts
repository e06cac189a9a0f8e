import { formatValue, heading, words } from './format'

/** A table column: a field of the rows, optionally with its own heading. */
export type Column = string | { field: string; label: string }

const fieldOf = (c: Column) => (typeof c === 'string' ? c : c.field)
const labelOf = (c: Column) => (typeof c === 'string' ? heading(c) : c.label)

/** Human tables by default, JSON for scripts. */
export function print(data: unknown, json: boolean, columns?: Column[]): void {
  if (json) {
    process.stdout.write(JSON.stringify(data, null, 2) + '\n')
    return
  }
  if (Array.isArray(data)) {
    process.stdout.write(table(data as Record<string, unknown>[], columns) + '\n')
    return
  }
  if (data && typeof data === 'object') {
    process.stdout.write(fields(data as Record<string, unknown>) + '\n')
    return
  }
  process.stdout.write(String(data) + '\n')
}

/**
 * Rows as an aligned table: a heading line, then one line per row, columns two spaces apart, numbers
 * right-aligned, nothing cut short (a long value widens its column rather than losing its end).
 */
export function table(rows: Record<string, unknown>[], columns?: Column[]): string {
  if (rows.length === 0) return '(none)'
  const cols = columns ?? Object.keys(rows[0]!)
  const cells = rows.map((r) => cols.map((c) => formatValue(fieldOf(c), r[fieldOf(c)])))
  const numeric = cols.map((c) => {
    const vals = rows.map((r) => r[fieldOf(c)]).filter((v) => v !== null && v !== undefined)
    return vals.length > 0 && vals.every((v) => typeof v === 'number')
  })
  const width = cols.map((c, i) => Math.max(labelOf(c).length, ...cells.map((r) => r[i]!.length)))
  const line = (vals: string[]) => vals.map((v, i) => (numeric[i] ? v.padStart(width[i]!) : v.padEnd(width[i]!))).join('  ').trimEnd()
  return [line(cols.map(labelOf)), ...cells.map(line)].join('\n')
}

/** One object as `field  value` lines; nested objects become `parent field` lines of their own. */
export function fields(data: Record<string, unknown>): string {
  const rows: Array<[string, string]> = []
  const walk = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      const name = prefix ? `${prefix} ${words(k)}` : words(k)
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) walk(v as Record<string, unknown>, name)
      else rows.push([name, formatValue(k, v)])
    }
  }
  walk(data, '')
  if (rows.length === 0) return '(none)'
  const w = Math.max(...rows.map(([k]) => k.length))
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`.trimEnd()).join('\n')
}
