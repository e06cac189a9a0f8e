import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { PgDatabase } from '../../../server/services/db/postgres/pg-database'
import { isPgUnreachable } from '../../../server/services/db/postgres/pg-batch-target'
import { RequestLogWriter } from '../../../server/services/log/request-log-writer'
import { pgAvailable, type PgServer } from '../../support/pg-server'
import { pgServer } from '../../support/store-engines'
import { entry } from '../ops/fakes'

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code })

describe('isPgUnreachable', () => {
  it('retries what says the server is away, drops what says the rows are bad', () => {
    expect(isPgUnreachable(withCode('ECONNREFUSED'))).toBe(true)
    expect(isPgUnreachable(withCode('ECONNRESET'))).toBe(true)
    expect(isPgUnreachable(withCode('57P01', 'terminating connection due to administrator command'))).toBe(true)
    expect(isPgUnreachable(withCode('08006'))).toBe(true)
    expect(isPgUnreachable(withCode('53100', 'could not extend file: No space left on device'))).toBe(true)
    expect(isPgUnreachable(new Error('Connection terminated unexpectedly'))).toBe(true)
    expect(isPgUnreachable(withCode('22P02', 'invalid input syntax for type integer'))).toBe(false)
    expect(isPgUnreachable(withCode('42P01', 'relation "request_log" does not exist'))).toBe(false)
    expect(isPgUnreachable(new TypeError('Cannot read properties of undefined'))).toBe(false)
    expect(isPgUnreachable('boom')).toBe(false)
  })
})

/** A real server stopped (pg_ctl stop) and started again under a writer: nothing accepted is lost. */
describe.skipIf(!pgAvailable && !process.env.CI)('request log while PostgreSQL is away', () => {
  let server: PgServer
  let db: PgDatabase
  beforeAll(async () => {
    server = await pgServer()
    db = await PgDatabase.open(await server.createDatabase())
  }, 30_000)
  afterAll(async () => {
    await db.close()
  })

  const ids = async () => (await db.all<{ request_id: string }>('SELECT request_id FROM request_log ORDER BY request_id')).map((r) => r.request_id)
  const push = (w: RequestLogWriter, from: number, n: number) => {
    for (let i = from; i < from + n; i++) w.push(entry({ requestId: `req_${String(i).padStart(3, '0')}` }))
  }

  it('holds batches in the bounded queue while the server is down, drops and counts beyond it, writes the rest when it is back', async () => {
    // A long interval: the test decides when to flush.
    const w = new RequestLogWriter(db, 40, 3_600_000)
    push(w, 0, 10)
    await w.flush()
    expect(w.written).toBe(10)

    server.pause()
    push(w, 10, 20)
    await w.flush()
    // Nothing written, nothing dropped: the 20 rows wait, and say so.
    expect([w.written, w.dropped, w.held, w.depth]).toEqual([10, 0, 20, 20])
    expect(w.lastError?.message).toBeTruthy()
    // The bound counts the held rows: 20 held + 20 queued fill it, the last 5 are dropped and counted.
    push(w, 30, 25)
    expect([w.depth, w.dropped]).toEqual([40, 5])
    // Inside the back-off a flush does not try the server again.
    await w.flush()
    expect([w.written, w.held]).toEqual([10, 20])

    server.resume()
    await vi.waitFor(
      async () => {
        await w.flush()
        expect(w.written).toBe(50)
      },
      { timeout: 30_000, interval: 250 },
    )
    expect([w.depth, w.held, w.dropped, w.failedWrites]).toEqual([0, 0, 5, 0])
    // Every accepted row once, in the table: 0..49 (50..54 were the dropped ones).
    expect(await ids()).toEqual(Array.from({ length: 50 }, (_, i) => `req_${String(i).padStart(3, '0')}`))
    await w.close()
  }, 60_000)

  it('at shutdown with the server still away, the rows it could not write are counted as dropped', async () => {
    const w = new RequestLogWriter(db, 100, 3_600_000)
    server.pause()
    try {
      push(w, 100, 7)
      await w.flush()
      expect(w.held).toBe(7)
      push(w, 107, 3)
      await w.close()
      expect([w.written, w.dropped, w.depth]).toEqual([0, 10, 0])
    } finally {
      server.resume()
    }
  }, 60_000)
})
