import { defineCommand } from 'citty'
import { api, common } from '../context'
import { print } from '../output'
import { formatNumber, formatRate, formatTime, formatUsd } from '../format'
import { CliError, EXIT } from '../client'

const BY: Record<string, 'model' | 'provider' | 'key' | 'client_key' | 'upstream_model' | 'dialect'> = {
  model: 'model',
  provider: 'provider',
  key: 'key',
  'client-key': 'client_key',
  client_key: 'client_key',
  'upstream-model': 'upstream_model',
  dialect: 'dialect',
}

/** One row of numbers as the server computes it (server/services/db/stats-repo.ts), types only. */
type Stats = import('../../server/services/db/stats-repo').StatsRow

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${formatNumber(v)} ms`)
const span = (r: { from: string | Date; to: string | Date }) => `${formatTime(new Date(r.from).toISOString())} → ${formatTime(new Date(r.to).toISOString())} UTC`

/** The totals as `field  value` lines, the way a person reads them. */
function summaryLines(s: Stats, range: { from: string | Date; to: string | Date }, exact: boolean): string {
  const rows: Array<[string, string]> = [
    ['range', span(range)],
    ['requests', formatNumber(s.requests)],
    ['errors', `${formatNumber(s.errors)} (${formatRate(s.errorRate)}): 4xx ${formatNumber(s.errors4xx)}, 5xx ${formatNumber(s.errors5xx)}, in-band ${formatNumber(s.errorsInBand)}`],
    ['latency p50 / p95 / p99', `${ms(s.latencyMs.p50)} / ${ms(s.latencyMs.p95)} / ${ms(s.latencyMs.p99)}${exact ? '' : ' (estimated)'}`],
    ['time to first token p50 / p95', `${ms(s.ttftMs.p50)} / ${ms(s.ttftMs.p95)}`],
    ['input tokens', formatNumber(s.inputTokens)],
    ['output tokens', formatNumber(s.outputTokens)],
    ['cache read / write tokens', `${formatNumber(s.cacheReadTokens)} / ${formatNumber(s.cacheWriteTokens)}`],
    ['reasoning tokens', formatNumber(s.reasoningTokens)],
    ['estimated cost', formatUsd(s.costUsd)],
  ]
  const w = Math.max(...rows.map(([k]) => k.length))
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n')
}

export default defineCommand({
  meta: { name: 'stats', description: 'Requests, errors, latency, tokens and cost' },
  args: {
    ...common,
    since: { type: 'string', description: 'a span back from now: 30m, 24h, 7d', default: '24h' },
    by: { type: 'string', description: 'break down by model | provider | key | client-key | upstream-model | dialect' },
  },
  run: async ({ args }) => {
    if (!/^\d{1,5}[mhd]$/.test(args.since)) throw new CliError(`--since must be a span like 30m, 24h or 7d, got '${args.since}'`, EXIT.usage)
    const c = api(args)
    if (args.by) {
      const by = BY[args.by]
      if (!by) throw new CliError(`--by must be one of ${Object.keys(BY).join(', ')}`, EXIT.usage)
      const r = await c.stats.breakdown.query({ since: args.since, by })
      if (args.json) return print(r, true)
      process.stdout.write(`${span(r.range)}${r.exactPercentiles ? '' : ' (latency percentiles estimated)'}\n`)
      const rows = r.groups.map((g) => ({
        ...g,
        group: g.key === null ? '(none)' : by === 'key' ? `${g.key} ${(g as { hint?: string | null }).hint ?? ''}`.trim() : g.key,
        p50: g.latencyMs.p50,
        p95: g.latencyMs.p95,
      }))
      return print(rows, false, [
        { field: 'group', label: by.replace('_', ' ').toUpperCase() },
        ...(by === 'key' ? ['provider'] : []),
        'requests',
        'errors',
        'errorRate',
        { field: 'p50', label: 'P50 MS' },
        { field: 'p95', label: 'P95 MS' },
        'inputTokens',
        'outputTokens',
        { field: 'costUsd', label: 'COST' },
      ])
    }
    const r = await c.stats.summary.query({ since: args.since })
    if (args.json) return print(r, true)
    process.stdout.write(summaryLines(r.totals, r.range, r.exactPercentiles) + '\n')
  },
})

