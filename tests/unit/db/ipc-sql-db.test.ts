import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Database } from '../../../server/services/db/database'
import { IpcSqlDb, serveSqlDb, type IpcEnd, type SqlMessage } from '../../../server/services/db/ipc-sql-db'

/** Two connected ends; every message goes through JSON and a later tick, as over node's IPC channel. */
function channel(): [IpcEnd, IpcEnd] {
  const listeners: [Array<(m: SqlMessage) => void>, Array<(m: SqlMessage) => void>] = [[], []]
  const end = (mine: 0 | 1): IpcEnd => ({
    send: (msg) => {
      const wire = JSON.stringify(msg)
      setImmediate(() => {
        for (const fn of listeners[mine === 0 ? 1 : 0]) fn(JSON.parse(wire) as SqlMessage)
      })
    },
    onMessage: (fn) => void listeners[mine].push(fn),
  })
  return [end(0), end(1)]
}

async function until(check: () => Promise<boolean>, limitMs = 5000): Promise<void> {
  const t0 = Date.now()
  while (!(await check())) {
    if (Date.now() - t0 > limitMs) throw new Error('condition never held')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('IpcSqlDb: the store seam over a process boundary (DuckDB owner)', () => {
  let db: Database
  let client: IpcSqlDb
  let server: { close: () => void }

  beforeEach(async () => {
    db = await Database.open(':memory:')
    await db.run('CREATE TABLE t (id INTEGER, big BIGINT, name VARCHAR, ts TIMESTAMP)')
    const [a, b] = channel()
    server = serveSqlDb(db, b, 100)
    client = new IpcSqlDb(a, db.engine)
  })

  afterEach(() => {
    server?.close()
    db.close()
  })

  it('answers all and run with the rows the owner itself reads (bigint parameters survive JSON)', async () => {
    await client.run("INSERT INTO t VALUES ($1, $2, $3, TIMESTAMP '2025-01-01 10:00:00.123')", [1, 9007199254740993n, 'a'])
    const direct = await db.all('SELECT * FROM t')
    const remote = await client.all('SELECT * FROM t')
    expect(remote).toEqual(direct)
    expect(remote[0]).toMatchObject({ id: 1, name: 'a' })
    expect(String(remote[0]!.big)).toBe('9007199254740993')
    expect(client.engine).toBe('duckdb')
  })

  it("a failing statement rejects with the owner's error", async () => {
    await expect(client.all('SELECT * FROM missing_table')).rejects.toThrow(/missing_table/)
  })

  it('a transaction commits on the owner; one whose function throws is rolled back', async () => {
    const n = await client.transaction(async (tx) => {
      await tx.run('INSERT INTO t (id) VALUES (1)')
      // Nested on the handle: inside the same transaction.
      await tx.transaction((inner) => inner.run('INSERT INTO t (id) VALUES (2)'))
      return (await tx.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM t'))[0]!.n
    })
    expect(n).toBe(2)
    await expect(
      client.transaction(async (tx) => {
        await tx.run('INSERT INTO t (id) VALUES (3)')
        throw new Error('changed my mind')
      }),
    ).rejects.toThrow('changed my mind')
    expect((await db.all('SELECT id FROM t ORDER BY id')).map((r) => r.id)).toEqual([1, 2])
  })

  it('two clients: what one commits the other reads', async () => {
    const [a2, b2] = channel()
    serveSqlDb(db, b2)
    const other = new IpcSqlDb(a2, 'duckdb')
    await Promise.all([client.transaction((tx) => tx.run('INSERT INTO t (id) VALUES (10)')), other.transaction((tx) => tx.run('INSERT INTO t (id) VALUES (11)'))])
    expect((await other.all('SELECT id FROM t ORDER BY id')).map((r) => r.id)).toEqual([10, 11])
  })

  it('a transaction its client left idle (a dead worker) is rolled back and the store is free again', async () => {
    // Begin, write, then never commit: the function waits forever on purpose.
    let handle: { run: (s: string) => Promise<void> } | undefined
    void client.transaction(async (tx) => {
      await tx.run('INSERT INTO t (id) VALUES (99)')
      handle = tx
      await new Promise(() => undefined)
    })
    await until(async () => handle !== undefined)
    // After the 100 ms idle limit the owner rolled it back: the row is gone and the handle is refused.
    await until(async () => (await db.all('SELECT id FROM t')).length === 0 && (await handle!.run('SELECT 1').then(() => false, () => true)))
    await expect(handle!.run('SELECT 1')).rejects.toThrow(/no longer open/)
    await client.run('INSERT INTO t (id) VALUES (1)')
    expect(await db.all('SELECT id FROM t')).toHaveLength(1)
  })
})
