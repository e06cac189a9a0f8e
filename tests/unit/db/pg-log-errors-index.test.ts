import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PgDatabase } from '../../../server/services/db/postgres/pg-database'
import { PG_ONLY_MIGRATIONS } from '../../../server/services/db/migrations/postgres-only'
import { RequestLogWriter } from '../../../server/services/log/request-log-writer'
import { ERROR_MESSAGE_MAX_BYTES, errorMessage } from '../../../server/services/log/row-values'
import { pgAvailable } from '../../support/pg-server'
import { pgServer } from '../../support/store-engines'
import { entry } from '../ops/fakes'

/** 2.5 kB of hex per chunk: random enough that PostgreSQL cannot compress it into an index entry. */
const noise = (chunks: number) => Array.from({ length: chunks }, () => Array.from({ length: 80 }, () => Math.random().toString(16).slice(2, 10)).join('')).join('')

describe('error messages are kept to ERROR_MESSAGE_MAX_BYTES', () => {
  it('keeps a message that fits, and cuts a longer one to whole characters within the limit', () => {
    expect(errorMessage(null)).toBeNull()
    expect(errorMessage('upstream returned 500')).toBe('upstream returned 500')
    const ascii = 'x'.repeat(5_000)
    expect(errorMessage(ascii)).toBe('x'.repeat(ERROR_MESSAGE_MAX_BYTES))
    // 3-byte and 4-byte characters: never split, never over the limit.
    for (const ch of ['€', '😀']) {
      const cut = errorMessage(ch.repeat(1_000))!
      expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(ERROR_MESSAGE_MAX_BYTES)
      expect(Buffer.byteLength(cut)).toBeGreaterThan(ERROR_MESSAGE_MAX_BYTES - Buffer.byteLength(ch))
      expect(cut).toBe(ch.repeat([...cut].length))
    }
  })
})

/**
 * Migration 1005: the error rows' partial index carries what the log's error, key and text-search
 * filters read, so their lists and capped totals need no heap page per error row.
 */
describe.skipIf(!pgAvailable && !process.env.CI)('the error rows\' covering index on PostgreSQL', () => {
  let db: PgDatabase
  beforeAll(async () => {
    db = await PgDatabase.open(await (await pgServer()).createDatabase())
  }, 60_000)
  afterAll(async () => {
    await db.close()
  })

  it('a message too long for an index entry is cut, not the batch lost', async () => {
    const w = new RequestLogWriter(db)
    w.push(entry({ requestId: 'long-msg', status: 502, errorKind: 'upstream_error', errorMessage: noise(4) }))
    w.push(entry({ requestId: 'short-msg', status: 502, errorKind: 'upstream_error', errorMessage: 'bad gateway' }))
    await w.close()
    expect(w.dropped).toBe(0)
    const rows = await db.all<{ request_id: string; b: number }>('SELECT request_id, octet_length(error_message) AS b FROM request_log ORDER BY 1')
    expect(rows).toEqual([
      { request_id: 'long-msg', b: ERROR_MESSAGE_MAX_BYTES },
      { request_id: 'short-msg', b: 11 },
    ])
  })

  it('the capped counts of a text search and of key + 4xx can be answered from the index alone', async () => {
    await db.run('VACUUM (ANALYZE) request_log')
    const client = await db.pool.connect()
    try {
      // A tiny table: without these the planner reads it whole. Left: an index scan or an index-only
      // scan, the latter cheaper after VACUUM and possible only if the index holds every column read.
      // (enable_indexscan = off would penalise index-only scans too.)
      for (const s of ['enable_seqscan', 'enable_bitmapscan']) await client.query(`SET ${s} = off`)
      const range = "ts >= now()::timestamp - INTERVAL '1 day' AND ts < now()::timestamp + INTERVAL '1 day'"
      for (const sql of [
        `SELECT count(*) FROM (SELECT 1 FROM request_log WHERE ${range} AND (error_message ILIKE '%gateway%' OR error_kind = 'gateway') LIMIT 10001) c`,
        `SELECT count(*) FROM (SELECT 1 FROM request_log WHERE ${range} AND key_id = 1 AND status BETWEEN 400 AND 499 LIMIT 10001) c`,
      ]) {
        const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n')
        expect(plan, sql).toMatch(/Index Only Scan using request_log_default_ts_request_id_status_\w+/)
        expect(plan, sql).not.toMatch(/Seq Scan|Bitmap Heap Scan|Index Scan using/)
      }
    } finally {
      await client.query('RESET ALL')
      client.release()
    }
  })

  it('the migration cuts older rows\' messages that could not be indexed, then builds the index', async () => {
    // The state before 1005: no covering index, a message of 10 kB already stored.
    await db.run('DROP INDEX request_log_errors')
    await db.run('CREATE INDEX request_log_errors ON request_log (ts DESC) WHERE error_kind IS NOT NULL OR status >= 400 OR error_message IS NOT NULL')
    await db.run("INSERT INTO request_log (ts, request_id, dialect, stream, status, latency_ms, error_kind, error_message) VALUES (now()::timestamp, 'legacy', 'openai-chat', false, 500, 1, 'upstream_error', $1)", [noise(4)])
    const m = PG_ONLY_MIGRATIONS.find((x) => x.version === 1005)!
    await db.transaction(async (tx) => tx.run(m.sql))
    const [r] = await db.all<{ n: number }>("SELECT char_length(error_message) AS n FROM request_log WHERE request_id = 'legacy'")
    expect(r!.n).toBe(500)
  })
})
