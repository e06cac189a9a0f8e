/** Human tables by default, JSON for scripts. */
export function print(data: unknown, json: boolean, columns?: string[]): void {
  if (json) {
    process.stdout.write(JSON.stringify(data, null, 2) + '\n')
    return
  }
  if (Array.isArray(data)) {
    process.stdout.write(table(data as Record<string, unknown>[], columns) + '\n')
    return
  }
  if (data && typeof data === 'object') {
    const rows = Object.entries(data as Record<string, unknown>).map(([k, v]) => ({ field: k, value: cell(v) }))
    process.stdout.write(table(rows, ['field', 'value']) + '\n')
    return
  }
  process.stdout.write(String(data) + '\n')
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '-'
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

export function table(rows: Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return '(none)'
  const cols = columns ?? Object.keys(rows[0]!)
  const cells = rows.map((r) => cols.map((c) => cell(r[c])))
  const width = cols.map((c, i) => Math.min(60, Math.max(c.length, ...cells.map((r) => r[i]!.length))))
  const fit = (s: string, w: number) => (s.length > w ? s.slice(0, w - 1) + '…' : s.padEnd(w))
  const line = (vals: string[]) => vals.map((v, i) => fit(v, width[i]!)).join('  ').trimEnd()
  return [line(cols.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n')
}
