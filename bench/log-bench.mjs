// Request-log benchmark: 1,000,000 synthetic rows through the real writer path (bounded queue →
// batched INSERT, see server/services/log/batch-inserter.ts) into a temp database, then the list and stats queries the admin API runs, over
// 24 hours and 30 days, and the database size per million rows with and without bodies.
// Run: npm run bench:log  (node --import tsx: the server's TypeScript is imported as is).
// Env: LOG_BENCH_ROWS (default 1000000), LOG_BENCH_BODIES (default 100000; extrapolated per million),
// LOG_BENCH_KEEP=1 keeps the database and prints its path (to explain a query by hand).
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir, cpus } from 'node:os'
import { join } from 'node:path'
import { Database } from '../server/services/db/database.ts'
import { Reader } from '../server/services/db/reader.ts'
import { RequestLogWriter } from '../server/services/log/request-log-writer.ts'
import { RequestBodyWriter } from '../server/services/log/request-body-writer.ts'
import { listLogs } from '../server/services/db/log-repo.ts'
import { statsBreakdown, statsSeries, statsSummary } from '../server/services/db/stats-repo.ts'
import { logListSchema } from '../shared/schemas/request-log.ts'
import { NOW, SPAN, entry, rnd, text } from './lib/log-entries.mjs'
import { benchRows, createReport, queryTable, statsQueries } from './lib/log-report.mjs'

// `npm run bench:log -- --store postgres`: the same writer and queries on a throwaway PostgreSQL.
if (process.argv.includes('postgres')) {
  await import('./log-bench-postgres.mjs')
  process.exit(0)
}

const ROWS = benchRows()
const BODIES = Number(process.env.LOG_BENCH_BODIES ?? 100_000)

const usedBytes = async (db) => {
  const r = (await db.all('SELECT block_size, used_blocks FROM pragma_database_size() WHERE database_name = current_database()'))[0]
  return Number(r.block_size) * Number(r.used_blocks)
}
const mb = (b) => (b / 1_048_576).toFixed(1)
/** µs of CPU this process spent since `start` (a process.cpuUsage()), all its threads together. */
const cpuSpent = (start) => {
  const d = process.cpuUsage(start)
  return d.user + d.system
}

const dir = mkdtempSync(join(tmpdir(), 'rosetta-log-bench-'))
const db = await Database.open(join(dir, 'bench.duckdb'))
const report = createReport('log-latest.md')
const log = report.log
try {
  log(`# Request log benchmark\n\n${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · Node ${process.version} · ${ROWS.toLocaleString('en')} rows over 30 days\n`)

  // 1. Metadata through the writer: push (what a request pays) and flush (the appender), end to end.
  const writer = new RequestLogWriter(db, 100_000, 3_600_000)
  // Entries are generated in chunks outside the clock: the number is the writer's, not the generator's.
  let pushNs = 0
  let probeId = '' // one real request id, halfway through the month, for the lookup below
  let writerMs = 0
  let writerCpuUs = 0 // every thread of this process: the encoding here, DuckDB's parse, insert and commit
  const t0 = performance.now()
  for (let start = 0; start < ROWS; start += 50_000) {
    const chunk = []
    for (let i = start; i < Math.min(ROWS, start + 50_000); i++) chunk.push(entry(i, ROWS))
    if (start <= ROWS / 2 && ROWS / 2 < start + 50_000) probeId = chunk[ROWS / 2 - start].requestId
    const tw = performance.now()
    const cpu = process.cpuUsage()
    const a = process.hrtime.bigint()
    for (const e of chunk) writer.push(e)
    pushNs += Number(process.hrtime.bigint() - a)
    await writer.flush()
    writerMs += performance.now() - tw
    writerCpuUs += cpuSpent(cpu)
  }
  await writer.close()
  const secs = writerMs / 1000
  const allSecs = (performance.now() - t0) / 1000
  await db.run('CHECKPOINT')
  const metaBytes = await usedBytes(db)
  log('## Write path (bounded queue → batched INSERT parsed by DuckDB off the event loop)\n')
  log('| measure | value |\n| --- | --- |')
  log(`| rows written | ${writer.written.toLocaleString('en')} (dropped ${writer.dropped}) |`)
  log(`| throughput, push + flush | **${Math.round(ROWS / secs).toLocaleString('en')} rows/s** (goal ≥ 50,000) |`)
  log(`| throughput including generating the synthetic rows | ${Math.round(ROWS / allSecs).toLocaleString('en')} rows/s |`)
  log(`| push() cost a request pays | ${(pushNs / ROWS).toFixed(0)} ns/row |`)
  log(`| CPU per row, push + encode + INSERT, all threads (encoded inline) | ${(writerCpuUs / ROWS).toFixed(1)} µs |`)
  log(`| database in use, metadata only | ${mb(metaBytes)} MB → **${mb((metaBytes / ROWS) * 1e6)} MB per million rows** |`)

  // What requests feel while the log is written (the event loop's delay) is bench/log-eld-bench.mjs's.

  // 2. Queries, on their own connection as the server runs them.
  const reader = new Reader(await db.connect())
  const day = { from: new Date(NOW.getTime() - 86_400_000), to: NOW }
  const month = { from: new Date(NOW.getTime() - SPAN), to: NOW }
  const q = [
    ['list, 24 h, newest 50', () => listLogs(reader, logListSchema.parse({ ...day }), NOW)],
    ['list, 24 h, model + status=error', () => listLogs(reader, logListSchema.parse({ ...day, model: 'claude-sonnet-4-5', status: 'error' }), NOW)],
    ['list, 30 d, provider + client key + stream', () => listLogs(reader, logListSchema.parse({ ...month, provider: 'anthropic', clientKey: 'ci', stream: true }), NOW)],
    ['list, 30 d, text search in errors', () => listLogs(reader, logListSchema.parse({ ...month, search: 'invalid content' }), NOW)],
    ['list, 30 d, by request id', () => listLogs(reader, logListSchema.parse({ ...month, requestId: probeId }), NOW)],
    ...statsQueries({ statsSummary, statsSeries, statsBreakdown }, reader, { day, month, now: NOW }),
    ['stats by client key, 30 d', () => statsBreakdown(reader, { ...month, by: 'client_key' }, NOW)],
  ]
  log('## Queries over the whole table (goal < 200 ms each)\n')
  await queryTable(report, q, { goalMs: 200, runs: 5, minRuns: 5 })

  // 2b. Sampled percentiles (used above EXACT_QUANTILE_ROWS matching rows) against exact ones.
  const exactLat = async (group) =>
    reader.all(
      `SELECT ${group ?? "'all'"} AS k, quantile_cont(latency_ms, [0.5, 0.95, 0.99]) AS lat FROM request_log
       WHERE ts >= CAST($1 AS TIMESTAMP) AND ts < CAST($2 AS TIMESTAMP) GROUP BY 1`,
      [month.from.toISOString(), month.to.toISOString()],
    )
  const worstErr = (exact, approx) => {
    const err = [0, 0, 0]
    for (const e of exact) {
      const a = approx.get(String(e.k))
      if (!a) continue
      ;[a.p50, a.p95, a.p99].forEach((v, i) => (err[i] = Math.max(err[i], Math.abs(v - e.lat[i]) / e.lat[i])))
    }
    return err.map((x) => `${(x * 100).toFixed(2)} %`).join(' / ')
  }
  const sum30 = await statsSummary(reader, month, NOW)
  const ser30 = await statsSeries(reader, month, NOW)
  const mod30 = await statsBreakdown(reader, { ...month, by: 'model' }, NOW)
  const bucketSql = `strftime(time_bucket(INTERVAL '${ser30.bucketSeconds} seconds', ts), '%Y-%m-%dT%H:%M:%SZ')`
  log('Sampled percentiles against exact ones over the 30 days (worst relative error, p50 / p95 / p99):\n')
  log('| numbers | sampled? | worst error |\n| --- | --- | --- |')
  log(`| summary (one group) | ${!sum30.exactPercentiles} | ${worstErr(await exactLat(), new Map([['all', sum30.totals.latencyMs]]))} |`)
  log(`| series, each of ${ser30.points.length} buckets | ${!ser30.exactPercentiles} | ${worstErr(await exactLat(bucketSql), new Map(ser30.points.map((p) => [p.t, p.latencyMs])))} |`)
  log(`| by model, each of ${mod30.groups.length} groups | ${!mod30.exactPercentiles} | ${worstErr(await exactLat('model'), new Map(mod30.groups.map((g) => [String(g.key), g.latencyMs])))} |\n`)

  // 3. Bodies: realistic chat bodies through the body writer (redaction, capping, appender).
  const bodies = new RequestBodyWriter(() => db.connect(), 64 * 1024, 100_000, 3_600_000)
  let bsecs = 0
  let bodiesCpuUs = 0
  // As above, entries are generated in chunks outside the clock.
  for (let start = 0; start < BODIES; start += 5_000) {
    const chunk = []
    for (let i = start; i < Math.min(BODIES, start + 5_000); i++) {
      const e = entry(i, BODIES)
      e.requestBody = { model: e.model, max_tokens: 1024, messages: [{ role: 'system', content: text(60) }, { role: 'user', content: text(150 + Math.floor(rnd() * 300)) }] }
      e.responseBody = { kind: 'text', text: JSON.stringify({ id: `chatcmpl-${i}`, object: 'chat.completion', model: e.model, choices: [{ index: 0, message: { role: 'assistant', content: text(80 + Math.floor(rnd() * 250)) }, finish_reason: 'stop' }], usage: { prompt_tokens: 500, completion_tokens: 200 } }) }
      chunk.push(e)
    }
    const tb = performance.now()
    const cpu = process.cpuUsage()
    for (const e of chunk) bodies.push(e)
    await bodies.flush()
    bsecs += (performance.now() - tb) / 1000
    bodiesCpuUs += cpuSpent(cpu)
  }
  await bodies.close()
  await db.run('CHECKPOINT')
  const withBodies = await usedBytes(db)
  const avgRaw = (await reader.all('SELECT avg(request_bytes + response_bytes) AS b FROM request_bodies'))[0].b
  const perMillionBodies = ((withBodies - metaBytes) / BODIES) * 1e6
  log('## Bodies (separate table, own writer)\n')
  log('| measure | value |\n| --- | --- |')
  log(`| bodies written | ${bodies.written.toLocaleString('en')} (avg ${Math.round(avgRaw)} bytes request + response, redacted, uncompressed) |`)
  log(`| body writer throughput (redact + cap + append) | ${Math.round(BODIES / bsecs).toLocaleString('en')} rows/s |`)
  log(`| CPU per body row, redact + encode + INSERT, all threads (encoded inline) | ${(bodiesCpuUs / BODIES).toFixed(1)} µs |`)
  log(`| bodies in use | ${mb(withBodies - metaBytes)} MB → ${mb(perMillionBodies)} MB per million |`)
  log(`| **per million requests, metadata only** | **${mb((metaBytes / ROWS) * 1e6)} MB** |`)
  log(`| **per million requests, with bodies** | **${mb((metaBytes / ROWS) * 1e6 + perMillionBodies)} MB** (bodies measured on ${BODIES.toLocaleString('en')}, scaled) |`)
  log(`| database file on disk | ${mb(statSync(join(dir, 'bench.duckdb')).size)} MB |`)
  reader.close()
} finally {
  db.close()
  if (process.env.LOG_BENCH_KEEP) console.log(`kept: ${join(dir, 'bench.duckdb')}`)
  else rmSync(dir, { recursive: true, force: true })
}
report.save()
