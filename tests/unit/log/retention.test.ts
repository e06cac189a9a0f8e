import { mkdtempSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Database } from '../../../server/services/db/database'
import { Reader } from '../../../server/services/db/reader'
import { RequestLogWriter } from '../../../server/services/log/request-log-writer'
import { RequestBodyWriter } from '../../../server/services/log/request-body-writer'
import { LogRetention } from '../../../server/services/log/log-retention'
import { entry } from '../ops/fakes'

const NOW = new Date('2026-06-01T00:00:00Z')
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000)
const open: Array<() => void> = []
afterEach(() => {
  while (open.length) open.pop()!()
})

async function seed(db: Database, rows: Array<{ ts: Date; body?: boolean; id: string }>) {
  const w = new RequestLogWriter(db)
  const b = new RequestBodyWriter(() => db.connect(), 64 * 1024, 100_000)
  for (const r of rows) {
    const e = entry({ ts: r.ts, requestId: r.id })
    if (r.body) e.requestBody = { messages: [{ role: 'user', content: randomBytes(1000).toString('hex') + r.id }] }
    w.push(e)
    b.push(e)
  }
  await w.close()
  await b.close()
}

const ids = async (r: Reader, table: string) => (await r.all<{ request_id: string }>(`SELECT request_id FROM ${table} ORDER BY ts`)).map((x) => x.request_id)

describe('log retention', () => {
  it('deletes metadata and bodies by age, each with its own limit', async () => {
    const db = await Database.open(':memory:')
    const reader = new Reader(await db.connect())
    open.push(() => (reader.close(), db.close()))
    await seed(db, [
      { ts: daysAgo(100), id: 'a', body: true },
      { ts: daysAgo(30), id: 'b', body: true },
      { ts: daysAgo(3), id: 'c', body: true },
      { ts: daysAgo(0.5), id: 'd', body: true },
    ])
    const r = await new LogRetention(reader, { metadataDays: 90, bodyDays: 7, maxDbMb: 0 }).run(NOW)
    expect(r).toMatchObject({ metadataDeleted: 1, bodiesDeleted: 2, sizeDeleted: 0 })
    expect(await ids(reader, 'request_log')).toEqual(['b', 'c', 'd'])
    expect(await ids(reader, 'request_bodies')).toEqual(['c', 'd'])
  })

  it('deletes the oldest rows, bodies first, until the database is under its size limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rosetta-retention-'))
    const db = await Database.open(join(dir, 'r.duckdb'))
    const reader = new Reader(await db.connect())
    open.push(() => (reader.close(), db.close(), rmSync(dir, { recursive: true, force: true })))
    // DuckDB frees space by whole row groups (~123k rows), so this needs a realistic volume: 300k
    // bodies of ~130 bytes and their metadata, one per second up to NOW (bulk SQL for speed).
    const start = `TIMESTAMP '${daysAgo(300_000 / 86_400).toISOString().replace('T', ' ').replace('Z', '')}'`
    await db.run(`INSERT INTO request_bodies (request_id, ts, request_body) SELECT 'r' || lpad(i::VARCHAR, 6, '0'), ${start} + to_seconds(i), repeat(md5(i::VARCHAR), 4) FROM range(300000) t(i)`)
    await db.run(`INSERT INTO request_log (ts, request_id, dialect, stream, status, latency_ms) SELECT ${start} + to_seconds(i), 'r' || lpad(i::VARCHAR, 6, '0'), 'openai-chat', false, 200, 1 FROM range(300000) t(i)`)
    await db.run('CHECKPOINT')
    const before = await new LogRetention(reader, { metadataDays: 90, bodyDays: 7, maxDbMb: 0 }).usedMb()
    const limit = Math.floor(before * 0.6)
    const r = await new LogRetention(reader, { metadataDays: 90, bodyDays: 7, maxDbMb: limit }).run(NOW)
    expect(r.sizeDeleted).toBeGreaterThan(0)
    expect(r.usedMb).toBeLessThanOrEqual(limit)
    // The oldest went, bodies first; the newest rows are all still there.
    const bodies = await ids(reader, 'request_bodies')
    expect(bodies[bodies.length - 1]).toBe('r299999')
    expect(bodies.length).toBeLessThan(300_000)
    const meta = (await reader.all<{ n: string }>('SELECT count(*) AS n FROM request_log'))[0]!
    expect(Number(meta.n)).toBeGreaterThan(bodies.length - 1)
  }, 30_000)
})
