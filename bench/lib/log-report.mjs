// What both request-log benchmarks (log-bench.mjs, log-bench-postgres.mjs) share: the row-count knob,
// the report they print and save, and the timing of the admin API's queries (median and p95).
import { mkdirSync, writeFileSync } from 'node:fs'
import { percentiles } from './stats.mjs'

/** `--rows N` on the command line, else LOG_BENCH_ROWS, else `fallback`. */
export function benchRows(fallback = 1_000_000) {
  const i = process.argv.indexOf('--rows')
  const v = i >= 0 ? process.argv[i + 1] : process.env.LOG_BENCH_ROWS
  const n = v === undefined ? fallback : Number(v.replaceAll('_', ''))
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--rows / LOG_BENCH_ROWS: a positive whole number, not ${v}`)
  return n
}

/** A Markdown report printed as it grows and saved to bench/results/<file>. */
export function createReport(file) {
  const lines = []
  return {
    log(s) {
      console.log(s)
      lines.push(s)
    },
    save() {
      const dir = new URL('../results/', import.meta.url)
      mkdirSync(dir, { recursive: true })
      writeFileSync(new URL(file, dir), lines.join('\n') + '\n')
      console.log(`\nwritten to bench/results/${file}`)
    },
  }
}

/**
 * Times `fn` up to `runs` times, stopping early once `budgetMs` is spent (a slow query at 10 million
 * rows still gets at least `minRuns`): the first run (cold) and the median and p95 of all of them.
 */
export async function timeIt(fn, { runs = 5, minRuns = 3, budgetMs = 30_000 } = {}) {
  const times = []
  let out
  const start = performance.now()
  while (times.length < runs && (times.length < minRuns || performance.now() - start < budgetMs)) {
    const t = performance.now()
    out = await fn()
    times.push(performance.now() - t)
  }
  const sorted = [...times].sort((a, b) => a - b)
  const { p95 } = percentiles(times, [95])
  return { first: times[0], median: sorted[Math.floor((times.length - 1) / 2)], p95, max: sorted[times.length - 1], runs: times.length, out }
}

/** How many log rows a list or stats answer covered (a list's capped total as "10,000+"). */
export function matchedRows(out) {
  if (out.total !== undefined) return out.totalExact === false ? `${out.total.toLocaleString('en')}+` : out.total
  return out.totals?.requests ?? out.points?.reduce((n, p) => n + p.requests, 0) ?? out.groups?.reduce((n, g) => n + g.requests, 0) ?? out.items?.length
}

/**
 * Runs each named query, logs one table row per query (cold, median, p95, max, rows matched) and
 * returns the slowest median. `note(out)` adds a remark to a row's name (e.g. read from rollups).
 */
export async function queryTable(report, queries, { goalMs, note = () => '', ...timing } = {}) {
  report.log(`| query | first (cold) ms | median ms | p95 ms | max ms | runs | rows matched |\n| --- | --- | --- | --- | --- | --- | --- |`)
  let worst = 0
  for (const [name, fn] of queries) {
    const r = await timeIt(fn, timing)
    worst = Math.max(worst, r.median)
    const flag = goalMs && r.median >= goalMs ? ' ✗' : ''
    report.log(`| ${name}${note(r.out)} | ${r.first.toFixed(1)} | **${r.median.toFixed(1)}**${flag} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${r.runs} | ${typeof matchedRows(r.out) === 'string' ? matchedRows(r.out) : Number(matchedRows(r.out)).toLocaleString('en')} |`)
  }
  report.log(`\nSlowest median: ${worst.toFixed(1)} ms${goalMs ? ` (goal < ${goalMs} ms)` : ''}.\n`)
  return worst
}

/** The statistics both log benchmarks time (the admin API's summary, series and breakdowns over 24 h and 30 days). */
export function statsQueries({ statsSummary, statsSeries, statsBreakdown }, reader, { day, month, now }) {
  return [
    ['stats summary, 24 h', () => statsSummary(reader, day, now)],
    ['stats summary, 30 d', () => statsSummary(reader, month, now)],
    ['stats series, 24 h (15 min buckets)', () => statsSeries(reader, day, now)],
    ['stats series, 30 d (6 h buckets)', () => statsSeries(reader, month, now)],
    ['stats by model, 30 d', () => statsBreakdown(reader, { ...month, by: 'model' }, now)],
    ['stats by provider, 24 h', () => statsBreakdown(reader, { ...day, by: 'provider' }, now)],
    ['stats by key, 30 d', () => statsBreakdown(reader, { ...month, by: 'key' }, now)],
  ]
}
