import { describe, expect, it } from 'vitest'
import { Database } from '../../../server/services/db/database'
import { RequestLogWriter } from '../../../server/services/log/request-log-writer'
import { RequestBodyWriter } from '../../../server/services/log/request-body-writer'
import { LogFanout } from '../../../server/gateway/log-entry'
import { entry } from '../ops/fakes'

describe('the log never slows or fails a request', () => {
  // How fast push() is belongs to the benchmark (bench/log-bench.mjs), not to a timed unit test.
  it('a full queue drops and counts', async () => {
    const db = await Database.open(':memory:')
    const w = new RequestLogWriter(db, 3)
    for (let i = 0; i < 10_000; i++) w.push(entry({ requestId: `r${i}` }))
    expect(w.depth).toBe(3)
    expect(w.dropped).toBe(9_997)
    await w.close()
    expect(w.written).toBe(3)
    const n = await db.all<{ n: string }>('SELECT count(*) AS n FROM request_log')
    expect(Number(n[0]!.n)).toBe(3)
    db.close()
  })

  it('a failing database counts the batch as dropped; push never throws and the writer recovers', async () => {
    const db = await Database.open(':memory:')
    let broken = true
    // The writer's own connection: while "broken", every statement on it fails like a full disk would.
    const flaky = {
      connect: async () => {
        const conn = await db.connect()
        return new Proxy(conn, {
          get(t, p, r) {
            if (p === 'prepare' && broken) return async () => Promise.reject(new Error('disk I/O error'))
            return Reflect.get(t, p, r)
          },
        })
      },
    } as unknown as Database
    const w = new RequestLogWriter(flaky)
    const sinks = new LogFanout()
    sinks.add(w)
    sinks.add({ push: () => { throw new Error('a broken sink') } })
    for (let i = 0; i < 5; i++) expect(() => sinks.push(entry({ requestId: `a${i}` }))).not.toThrow()
    await w.flush()
    expect(w.dropped).toBe(5)
    expect(w.failedWrites).toBe(1)
    expect(w.lastError?.message).toBe('disk I/O error')
    expect(w.written).toBe(0)
    broken = false
    sinks.push(entry({ requestId: 'after' }))
    await w.close()
    expect(w.written).toBe(1)
    db.close()
  })

  it('a closed database: bodies and metadata drop and count, nothing throws', async () => {
    const db = await Database.open(':memory:')
    db.close()
    const w = new RequestLogWriter(db)
    const b = new RequestBodyWriter(() => db.connect(), 1024)
    const e = entry()
    e.requestBody = { hello: 'world' }
    w.push(e)
    b.push(e)
    await Promise.all([w.close(), b.close()])
    expect([w.dropped, b.dropped]).toEqual([1, 1])
  })

  it('while the storage says the disk is full, batches wait in the bounded queue; they are written once it has room', async () => {
    const db = await Database.open(':memory:')
    const storage = { writable: false, reports: [] as unknown[], report(e: unknown) { this.reports.push(e) } }
    const w = new RequestLogWriter(Object.assign(Object.create(db) as Database, { guard: storage }), 4)
    for (let i = 0; i < 6; i++) w.push(entry({ requestId: `q${i}` }))
    await w.flush()
    expect(w.depth).toBe(4)
    expect(w.dropped).toBe(2)
    expect(w.written).toBe(0)
    expect(w.failedWrites).toBe(0)
    storage.writable = true
    await w.flush()
    expect(w.written).toBe(4)
    expect(Number((await db.all<{ n: string }>('SELECT count(*) AS n FROM request_log'))[0]!.n)).toBe(4)
    await w.close()
    db.close()
  })
})
