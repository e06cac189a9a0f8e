// The request-log benchmark on PostgreSQL (`npm run bench:log -- --store postgres`): synthetic rows
// through the real writer (bounded queue → multi-row INSERT on dedicated connections, see
// server/services/db/postgres/pg-batch-target.ts) into day partitions, then the list and stats queries
// the admin API runs over 24 hours and 30 days.
// `--rows N` (or LOG_BENCH_ROWS, default 1,000,000) rows in all; the first LOG_BENCH_WRITE_ROWS
// (default 1,000,000) go through the real writer and give the rows-per-second number, the rest are
// bulk-copied from them in SQL (shifted a few seconds, new request ids), so a 10-million-row table
// takes minutes to build. LOG_BENCH_DATABASE_URL uses that database (owner role) instead of a
// throwaway server started from Debian's binaries (tests/support/pg-server.ts).
import { cpus } from 'node:os'
import { PgDatabase } from '../server/services/db/postgres/pg-database.ts'
import { PgReader } from '../server/services/db/postgres/pg-reader.ts'
import { ensureDayPartition, dayOf } from '../server/services/db/postgres/partitions.ts'
import { RequestLogWriter } from '../server/services/log/request-log-writer.ts'
import { rollUp } from '../server/services/db/postgres/rollups.ts'
import { listLogs } from '../server/services/db/log-repo.ts'
import { statsBreakdown, statsSeries, statsStacked, statsSummary } from '../server/services/db/stats-repo.ts'
import { logListSchema } from '../shared/schemas/request-log.ts'
import { startPgServer } from '../tests/support/pg-server.ts'
import { NOW, SPAN, entry } from './lib/log-entries.mjs'
import { benchRows, createReport, queryTable, statsQueries } from './lib/log-report.mjs'
import { REQUEST_LOG_COLUMNS } from '../server/services/log/request-log-columns.ts'

const ROWS = benchRows()
const WRITE_ROWS = Math.min(ROWS, Number(process.env.LOG_BENCH_WRITE_ROWS ?? 1_000_000))
const server = process.env.LOG_BENCH_DATABASE_URL ? null : await startPgServer()
const url = process.env.LOG_BENCH_DATABASE_URL ?? (await server.createDatabase('bench'))
const db = await PgDatabase.open(url)
const report = createReport('log-postgres-latest.md')
const log = report.log

try {
  const [{ v }] = await db.all('SHOW server_version AS v').catch(() => db.all("SELECT current_setting('server_version') AS v"))
  log(`# Request log benchmark, PostgreSQL ${v}\n\n${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · Node ${process.version} · ${ROWS.toLocaleString('en')} rows over 30 days\n`)
  // The day partitions first (the server keeps today and two days ahead; a backfill needs the past).
  for (let t = NOW.getTime() - SPAN - 86_400_000; t <= NOW.getTime() + 86_400_000; t += 86_400_000) await ensureDayPartition(db, 'request_log', dayOf(t))

  // 1. Writes: push (what a request pays) and the flushes, end to end, on 2 lanes.
  const writer = new RequestLogWriter(db, WRITE_ROWS + 1, 3_600_000)
  let pushMs = 0
  const t0 = performance.now()
  const CHUNK = 100_000
  for (let i = 0; i < WRITE_ROWS; i += CHUNK) {
    const batch = Array.from({ length: Math.min(CHUNK, WRITE_ROWS - i) }, (_, j) => entry(i + j, WRITE_ROWS))
    const p = performance.now()
    for (const e of batch) writer.push(e)
    pushMs += performance.now() - p
    await writer.flush()
  }
  const writeS = (performance.now() - t0) / 1000
  await writer.close()
  if (writer.written !== WRITE_ROWS) throw new Error(`written ${writer.written} of ${WRITE_ROWS} (dropped ${writer.dropped}): ${writer.lastError?.message}`)
  log('## Writes\n')
  log(`| metric | value |\n| --- | --- |`)
  log(`| rows written | ${writer.written.toLocaleString('en')} |`)
  log(`| wall time (encode + INSERT, 2 lanes) | ${writeS.toFixed(1)} s |`)
  log(`| **rows per second** | **${Math.round(WRITE_ROWS / writeS).toLocaleString('en')}** (goal ≥ 20,000) |`)
  log(`| push per row (the request path) | ${((pushMs * 1000) / WRITE_ROWS).toFixed(2)} µs |\n`)
  // The rest of the table: copies of the written rows in SQL, each a few seconds earlier with its own
  // request id (not timed as writes: the number above is the writer's).
  if (ROWS > WRITE_ROWS) {
    const cols = REQUEST_LOG_COLUMNS.map((c) => c.name)
    const sel = cols.map((c) => (c === 'ts' ? `ts - make_interval(secs => $1::int * 3)` : c === 'request_id' ? `request_id || '-' || $1::int` : c)).join(', ')
    const b0 = performance.now()
    let copied = 0
    for (let k = 1; copied < ROWS - WRITE_ROWS; k++) {
      const n = Math.min(WRITE_ROWS, ROWS - WRITE_ROWS - copied)
      await db.run(`INSERT INTO request_log (${cols.join(', ')}) SELECT ${sel} FROM request_log WHERE request_id NOT LIKE '%-%'${n < WRITE_ROWS ? ` ORDER BY ts LIMIT ${n}` : ''}`, [k])
      copied += n
      console.log(`  bulk copy ${k}: ${(WRITE_ROWS + copied).toLocaleString('en')} rows, ${((performance.now() - b0) / 1000).toFixed(0)} s`)
    }
    log(`Bulk-copied ${copied.toLocaleString('en')} more rows in SQL in ${((performance.now() - b0) / 1000).toFixed(0)} s: ${ROWS.toLocaleString('en')} rows in all.\n`)
  }
  // VACUUM as autovacuum does to a closed day of an insert-only table: it marks the pages all-visible,
  // which the index-only scans of the error rows' covering index (migration 1005) need.
  await db.run('VACUUM (ANALYZE) request_log')
  // The per-minute rollups the stats read over long ranges: a catch-up over the whole history here
  // (a running server rolls up each closed minute as it goes).
  const r0 = performance.now()
  const minutes = await rollUp(db, NOW.getTime())
  const rollupRows = async (t) => Number((await db.all(`SELECT count(*) AS n FROM ${t}`))[0].n).toLocaleString('en')
  log(`Rollups: ${minutes.toLocaleString('en')} minutes into ${await rollupRows('request_stats_minute')} minute rows, ${await rollupRows('request_stats_hour')} hour rows and ${await rollupRows('request_stats_day')} day rows in ${((performance.now() - r0) / 1000).toFixed(1)} s (a catch-up; a running server rolls up one minute per minute, and each hour and day once it has closed).\n`)
  for (const t of ['request_stats_minute', 'request_stats_hour', 'request_stats_day']) await db.run(`ANALYZE ${t}`)

  // 2. The admin API's queries.
  const reader = new PgReader(db)
  const probeId = (await db.all('SELECT request_id FROM request_log ORDER BY ts LIMIT 1 OFFSET 1000'))[0].request_id
  const day = { from: new Date(NOW.getTime() - 86_400_000), to: NOW }
  const month = { from: new Date(NOW.getTime() - SPAN), to: NOW }
  // A deep page: the cursor of the row in the middle of the range, as the previous page's nextCursor says it.
  const cursorAt = async (r) => {
    const mid = new Date((r.from.getTime() + r.to.getTime()) / 2).toISOString()
    const [row] = await db.all(`SELECT to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t, request_id FROM request_log WHERE ts < $1::timestamp ORDER BY ts DESC, request_id DESC LIMIT 1`, [mid])
    return `${row.t}|${row.request_id}`
  }
  const dayCursor = await cursorAt(day)
  const monthCursor = await cursorAt(month)
  const [{ instance }] = await db.all('SELECT instance FROM request_log LIMIT 1')
  const list = (f) => () => listLogs(reader, logListSchema.parse(f), NOW)
  const q = [
    ['list, 24 h, newest 50', list({ ...day })],
    ['list, 24 h, deep page (cursor mid-range)', list({ ...day, cursor: dayCursor })],
    ['list, 24 h, model + status=error', list({ ...day, model: 'claude-sonnet-4-5', status: 'error' })],
    ['list, 24 h, instance', list({ ...day, instance })],
    ['list, 30 d, newest 50', list({ ...month })],
    ['list, 30 d, deep page (cursor mid-range)', list({ ...month, cursor: monthCursor })],
    ['list, 30 d, provider + client key + stream', list({ ...month, provider: 'anthropic', clientKey: 'ci', stream: true })],
    ['list, 30 d, key + status=4xx', list({ ...month, keyId: 3, status: '4xx' })],
    ['list, 30 d, session', list({ ...month, sessionId: 'sess-42' })],
    ['list, 30 d, text search in errors', list({ ...month, search: 'invalid content' })],
    ['list, 30 d, by request id', list({ ...month, requestId: probeId })],
    ...statsQueries({ statsSummary, statsSeries, statsBreakdown }, reader, { day, month, now: NOW }),
    ['stats stacked by model, 30 d', () => statsStacked(reader, { ...month, by: 'model' }, NOW)],
    ['stats stacked by provider, 24 h', () => statsStacked(reader, { ...day, by: 'provider' }, NOW)],
  ]
  log('## Queries (goal < 500 ms each; lists count `total` up to 10,000)\n')
  await queryTable(report, q, { goalMs: 500, runs: 7, minRuns: 2, budgetMs: 15_000, note: (out) => (out.exactPercentiles === false ? ' (rollups)' : '') })
  const [size] = await db.all("SELECT pg_total_relation_size('request_log') + coalesce((SELECT sum(pg_total_relation_size(i.inhrelid)) FROM pg_inherits i WHERE i.inhparent = 'request_log'::regclass), 0) AS b")
  log(`Table with its indexes: ${(Number(size.b) / 1_048_576).toFixed(0)} MB (${((Number(size.b) / ROWS) * 1e6 / 1_048_576).toFixed(0)} MB per million rows).\n`)
} finally {
  await db.close()
  server?.stop()
}
report.save()
