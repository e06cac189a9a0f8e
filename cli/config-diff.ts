/** What `config import` prints: each change with its fields before → after, each skip with its reason. */
export interface PlannedChange {
  kind: string
  name: string
  action: 'add' | 'update' | 'unchanged' | 'skipped'
  reason?: string
  fields?: Array<{ field: string; before?: unknown; after?: unknown }>
}

const MARK = { add: '+ add', update: '~ update', skipped: '! skip', unchanged: '= unchanged' } as const

function show(v: unknown): string {
  if (v === undefined) return '(none)'
  if (typeof v === 'string') return v
  return JSON.stringify(v)
}

export function renderPlan(changes: PlannedChange[], applied: boolean): string {
  const lines: string[] = []
  for (const c of changes) {
    if (c.action === 'unchanged') continue
    lines.push(`${MARK[c.action]} ${c.kind} ${c.name}${c.reason ? `: ${c.reason}` : ''}`)
    for (const f of c.fields ?? []) lines.push(`    ${f.field}: ${show(f.before)} → ${show(f.after)}`)
  }
  const unchanged = changes.filter((c) => c.action === 'unchanged').length
  if (unchanged) lines.push(`= ${unchanged} unchanged`)
  const pending = changes.filter((c) => c.action === 'add' || c.action === 'update').length
  lines.push(applied ? `applied ${pending} change(s)` : pending ? `dry run: ${pending} change(s); run again with --yes to apply` : 'nothing to change')
  return lines.join('\n') + '\n'
}
