import { defineCommand } from 'citty'
import { api, common, int, type CommonArgs } from '../context'
import { print, table, type Column } from '../output'
import { formatValue, heading } from '../format'
import { CliError, EXIT, type Api } from '../client'

const COLUMNS: Column[] = [
  { field: 'ts', label: 'TIME (UTC)' },
  { field: 'requestId', label: 'REQUEST ID' },
  { field: 'clientKey', label: 'CLIENT KEY' },
  'model',
  { field: 'providerId', label: 'PROVIDER' },
  'status',
  { field: 'latencyMs', label: 'LATENCY MS' },
  { field: 'inputTokens', label: 'IN TOKENS' },
  { field: 'outputTokens', label: 'OUT TOKENS' },
  { field: 'errorMessage', label: 'ERROR' },
]

/** Column widths for --follow, where rows arrive one by one and cannot be measured together first. */
const FOLLOW_WIDTH: Record<string, number> = { ts: 19, requestId: 36, clientKey: 12, model: 24, providerId: 14, status: 6, latencyMs: 10, inputTokens: 9, outputTokens: 10 }
const NUMERIC = new Set(['status', 'latencyMs', 'inputTokens', 'outputTokens'])
const fieldOf = (c: Column) => (typeof c === 'string' ? c : c.field)
const labelOf = (c: Column) => (typeof c === 'string' ? heading(c) : c.label)
function followLine(cells: Array<[string, string]>): string {
  return cells
    .map(([field, v]) => {
      const w = FOLLOW_WIDTH[field]
      return w === undefined ? v : NUMERIC.has(field) ? v.padStart(w) : v.padEnd(w)
    })
    .join('  ')
    .trimEnd()
}

/**
 * How far back each --follow poll looks. A request's row carries the time it started and is written
 * when it ends, so a row can appear "in the past"; one that ran longer than this before it was
 * written is not shown.
 */
const FOLLOW_WINDOW_MS = 15 * 60_000
/** Pages (of 500 rows) one poll reads at most: 10,000 rows a second is beyond one instance. */
const FOLLOW_MAX_PAGES = 20

type Row = Record<string, unknown> & { requestId: string; ts: string }
type Filter = Record<string, unknown>

/** DuckDB's `2026-12-04 16:30:30.123` (UTC) → epoch ms. */
const tsMs = (ts: string) => Date.parse(ts.includes('T') ? ts : `${ts.replace(' ', 'T')}Z`)

/**
 * The rows of the last FOLLOW_WINDOW_MS (relative to the newest row seen, so the CLI's clock does
 * not matter), newest first, paging until a page holds nothing unseen.
 */
async function recent(c: Api, filter: Filter, newestMs: number | null, seen: Map<string, number>): Promise<Row[]> {
  const range = newestMs === null ? { since: `${FOLLOW_WINDOW_MS / 60_000}m` } : { from: new Date(newestMs - FOLLOW_WINDOW_MS).toISOString() }
  const out: Row[] = []
  let cursor: string | undefined
  for (let page = 0; page < FOLLOW_MAX_PAGES; page++) {
    const r = await c.logs.list.query({ ...filter, ...range, limit: 500, ...(cursor ? { cursor } : {}) } as never)
    const items = r.items as unknown as Row[]
    out.push(...items)
    if (!r.nextCursor || items.every((x) => seen.has(x.requestId))) break
    cursor = r.nextCursor
  }
  return out
}

async function follow(c: Api, filter: Filter, json: boolean): Promise<never> {
  // Rows already there when --follow starts are only remembered: it prints what arrives after.
  const seen = new Map<string, number>()
  let newest: number | null = null
  const remember = (rows: Row[]) => {
    for (const r of rows) {
      const t = tsMs(r.ts)
      seen.set(r.requestId, t)
      if (newest === null || t > newest) newest = t
    }
    // Forget what has left the window, so a long follow does not grow without bound.
    if (newest !== null) for (const [id, t] of seen) if (t < newest - 2 * FOLLOW_WINDOW_MS) seen.delete(id)
  }
  remember(await recent(c, filter, null, seen))
  if (!json) process.stdout.write(followLine(COLUMNS.map((col) => [fieldOf(col), labelOf(col)])) + '\n')
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000))
    const rows = await recent(c, filter, newest, seen)
    const fresh = rows.filter((r) => !seen.has(r.requestId)).sort((a, b) => tsMs(a.ts) - tsMs(b.ts) || a.requestId.localeCompare(b.requestId))
    for (const r of fresh) process.stdout.write(json ? JSON.stringify(r) + '\n' : followLine(COLUMNS.map((col) => [fieldOf(col), formatValue(fieldOf(col), r[fieldOf(col)])])) + '\n')
    remember(fresh)
  }
}

export default defineCommand({
  meta: { name: 'logs', description: 'The request log (newest first); --follow prints each new request as it is logged' },
  args: {
    ...common,
    model: { type: 'string', description: 'requested model' },
    provider: { type: 'string', description: 'provider id' },
    'client-key': { type: 'string', description: 'client key name' },
    status: { type: 'string', description: '2xx | 4xx | 5xx | error' },
    search: { type: 'string', description: 'text in the error message' },
    since: { type: 'string', description: '30m, 24h, 7d (not with --follow)', default: '24h' },
    limit: { type: 'string', description: 'rows, 1 to 500 (not with --follow)', default: '50' },
    follow: { type: 'boolean', description: 'print only requests logged from now on, as they arrive (Ctrl-C stops)', default: false },
  },
  run: async ({ args }) => {
    if (args.status && !['2xx', '4xx', '5xx', 'error'].includes(args.status)) throw new CliError('--status must be 2xx, 4xx, 5xx or error', EXIT.usage)
    if (!/^\d{1,5}[mhd]$/.test(args.since)) throw new CliError(`--since must be a span like 30m, 24h or 7d, got '${args.since}'`, EXIT.usage)
    const limit = int('--limit', args.limit, 1)
    if (limit > 500) throw new CliError(`--limit must be at most 500, got ${limit}`, EXIT.usage)
    const c = api(args as CommonArgs)
    const filter: Filter = {
      ...(args.model ? { model: args.model } : {}),
      ...(args.provider ? { provider: args.provider } : {}),
      ...(args['client-key'] ? { clientKey: args['client-key'] } : {}),
      ...(args.status ? { status: args.status } : {}),
      ...(args.search ? { search: args.search } : {}),
    }
    if (args.follow) return follow(c, filter, args.json)
    const page = await c.logs.list.query({ ...filter, since: args.since, limit } as never)
    if (args.json) return print(page, true)
    process.stdout.write(table(page.items as unknown as Record<string, unknown>[], COLUMNS) + '\n')
    if (page.total > page.items.length) process.stdout.write(`${page.items.length} of ${formatValue('total', page.total)}${page.totalExact === false ? '+' : ''} in the last ${args.since}\n`)
  },
})
