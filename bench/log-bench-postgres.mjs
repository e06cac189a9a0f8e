// The request-log benchmark on PostgreSQL (`npm run bench:log -- --store postgres`): synthetic rows
// through the real writer (bounded queue → multi-row INSERT on dedicated connections, see
// server/services/db/postgres/pg-batch-target.ts) into day partitions, then the list and stats queries
// the admin API runs over 24 hours and 30 days.
// Env: LOG_BENCH_ROWS (default 1000000); LOG_BENCH_DATABASE_URL uses that database (owner role)
// instead of a throwaway server started from Debian's binaries (tests/support/pg-server.ts).
import { cpus } from 'node:os'
import { writeFileSync, mkdirSync } from 'node:fs'
import { PgDatabase } from '../server/services/db/postgres/pg-database.ts'
import { PgReader } from '../server/services/db/postgres/pg-reader.ts'
import { ensureDayPartition, dayOf } from '../server/services/db/postgres/partitions.ts'
import { RequestLogWriter } from '../server/services/log/request-log-writer.ts'
import { rollUp } from '../server/services/db/postgres/rollups.ts'
import { listLogs } from '../server/services/db/log-repo.ts'
import { statsBreakdown, statsSeries, statsSummary } from '../server/services/db/stats-repo.ts'
import { logListSchema } from '../shared/schemas/request-log.ts'
import { startPgServer } from '../tests/support/pg-server.ts'
import { NOW, SPAN, entry } from './lib/log-entries.mjs'

const ROWS = Number(process.env.LOG_BENCH_ROWS ?? 1_000_000)
const server = process.env.LOG_BENCH_DATABASE_URL ? null : await startPgServer()
const url = process.env.LOG_BENCH_DATABASE_URL ?? (await server.createDatabase('bench'))
const db = await PgDatabase.open(url)
const lines = []
const log = (s) => {
  console.log(s)
  lines.push(s)
}

async function timeIt(fn, runs = 3) {
  const times = []
  let out
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    out = await fn()
    times.push(performance.now() - t)
  }
  const sorted = [...times].sort((a, b) => a - b)
  return { first: times[0], median: sorted[Math.floor(runs / 2)], max: sorted[runs - 1], out }
}

try {
  const [{ v }] = await db.all('SHOW server_version AS v').catch(() => db.all("SELECT current_setting('server_version') AS v"))
  log(`# Request log benchmark, PostgreSQL ${v}\n\n${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · Node ${process.version} · ${ROWS.toLocaleString('en')} rows over 30 days\n`)
  // The day partitions first (the server keeps today and two days ahead; a backfill needs the past).
  for (let t = NOW.getTime() - SPAN - 86_400_000; t <= NOW.getTime() + 86_400_000; t += 86_400_000) await ensureDayPartition(db, 'request_log', dayOf(t))

  // 1. Writes: push (what a request pays) and the flushes, end to end, on 2 lanes.
  const writer = new RequestLogWriter(db, ROWS + 1, 3_600_000)
  let pushMs = 0
  const t0 = performance.now()
  const CHUNK = 100_000
  for (let i = 0; i < ROWS; i += CHUNK) {
    const batch = Array.from({ length: Math.min(CHUNK, ROWS - i) }, (_, j) => entry(i + j, ROWS))
    const p = performance.now()
    for (const e of batch) writer.push(e)
    pushMs += performance.now() - p
    await writer.flush()
  }
  const writeS = (performance.now() - t0) / 1000
  await writer.close()
  if (writer.written !== ROWS) throw new Error(`written ${writer.written} of ${ROWS} (dropped ${writer.dropped}): ${writer.lastError?.message}`)
  log('## Writes\n')
  log(`| metric | value |\n| --- | --- |`)
  log(`| rows written | ${writer.written.toLocaleString('en')} |`)
  log(`| wall time (encode + INSERT, 2 lanes) | ${writeS.toFixed(1)} s |`)
  log(`| **rows per second** | **${Math.round(ROWS / writeS).toLocaleString('en')}** |`)
  log(`| push per row (the request path) | ${((pushMs * 1000) / ROWS).toFixed(2)} µs |\n`)
  await db.run('ANALYZE request_log')
  // The per-minute rollups the stats read over long ranges: a catch-up over the whole history here
  // (a running server rolls up each closed minute as it goes).
  const r0 = performance.now()
  const minutes = await rollUp(db, NOW.getTime())
  const [{ n: rollupRows }] = await db.all('SELECT count(*) AS n FROM request_stats_minute')
  log(`Rollups: ${minutes.toLocaleString('en')} minutes into ${Number(rollupRows).toLocaleString('en')} rows in ${((performance.now() - r0) / 1000).toFixed(1)} s (a catch-up; a running server rolls up one minute per minute).\n`)
  await db.run('ANALYZE request_stats_minute')

  // 2. The admin API's queries.
  const reader = new PgReader(db)
  const probeId = (await db.all('SELECT request_id FROM request_log ORDER BY ts LIMIT 1 OFFSET 1000'))[0].request_id
  const day = { from: new Date(NOW.getTime() - 86_400_000), to: NOW }
  const month = { from: new Date(NOW.getTime() - SPAN), to: NOW }
  const q = [
    ['list, 24 h, newest 50', () => listLogs(reader, logListSchema.parse({ ...day }), NOW)],
    ['list, 24 h, model + status=error', () => listLogs(reader, logListSchema.parse({ ...day, model: 'claude-sonnet-4-5', status: 'error' }), NOW)],
    ['list, 30 d, provider + client key + stream', () => listLogs(reader, logListSchema.parse({ ...month, provider: 'anthropic', clientKey: 'ci', stream: true }), NOW)],
    ['list, 30 d, text search in errors', () => listLogs(reader, logListSchema.parse({ ...month, search: 'invalid content' }), NOW)],
    ['list, 30 d, by request id', () => listLogs(reader, logListSchema.parse({ ...month, requestId: probeId }), NOW)],
    ['stats summary, 24 h', () => statsSummary(reader, day, NOW)],
    ['stats summary, 30 d', () => statsSummary(reader, month, NOW)],
    ['stats series, 24 h (15 min buckets)', () => statsSeries(reader, day, NOW)],
    ['stats series, 30 d (6 h buckets)', () => statsSeries(reader, month, NOW)],
    ['stats by model, 30 d', () => statsBreakdown(reader, { ...month, by: 'model' }, NOW)],
    ['stats by provider, 24 h', () => statsBreakdown(reader, { ...day, by: 'provider' }, NOW)],
    ['stats by key, 30 d', () => statsBreakdown(reader, { ...month, by: 'key' }, NOW)],
  ]
  log('## Queries (goal < 500 ms each)\n')
  log('| query | first (cold) ms | median of 3 ms | max ms | rows matched |\n| --- | --- | --- | --- | --- |')
  let worst = 0
  for (const [name, fn] of q) {
    const r = await timeIt(fn)
    worst = Math.max(worst, r.median)
    const matched = r.out.total ?? r.out.totals?.requests ?? r.out.points?.reduce((n, p) => n + p.requests, 0) ?? r.out.groups?.reduce((n, g) => n + g.requests, 0)
    const how = r.out.exactPercentiles === false ? ' (rollups)' : ''
    log(`| ${name}${how} | ${r.first.toFixed(1)} | **${r.median.toFixed(1)}** | ${r.max.toFixed(1)} | ${Number(matched).toLocaleString('en')} |`)
  }
  log(`\nSlowest median: ${worst.toFixed(1)} ms.\n`)
  const [size] = await db.all("SELECT pg_total_relation_size('request_log') + coalesce((SELECT sum(pg_total_relation_size(i.inhrelid)) FROM pg_inherits i WHERE i.inhparent = 'request_log'::regclass), 0) AS b")
  log(`Table with its indexes: ${(Number(size.b) / 1_048_576).toFixed(0)} MB (${((Number(size.b) / ROWS) * 1e6 / 1_048_576).toFixed(0)} MB per million rows).\n`)
} finally {
  await db.close()
  server?.stop()
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
writeFileSync(new URL('./results/log-postgres-latest.md', import.meta.url), lines.join('\n') + '\n')
