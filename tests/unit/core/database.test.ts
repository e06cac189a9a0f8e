import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Database } from '../../../server/services/db/database'

let db: Database
beforeEach(async () => {
  db = await Database.open(':memory:')
  await db.run('CREATE TABLE t (v VARCHAR)')
})
afterEach(() => db.close())

const rows = async () => (await db.all<{ v: string }>('SELECT v FROM t ORDER BY v')).map((r) => r.v)
const tick = () => new Promise((r) => setTimeout(r, 20))

describe('transactions on the shared connection', () => {
  it('a statement from elsewhere waits for the transaction and does not land inside it (a rollback keeps it)', async () => {
    let outside: Promise<void> | undefined
    const tx = db.transaction(async (t) => {
      await t.run("INSERT INTO t VALUES ('inside')")
      outside = db.run("INSERT INTO t VALUES ('outside')")
      await tick()
      throw new Error('changed my mind')
    })
    await expect(tx).rejects.toThrow('changed my mind')
    await outside
    expect(await rows()).toEqual(['outside'])
  })

  it('two transactions at once take turns (no nested BEGIN), and both commit', async () => {
    const a = db.transaction(async (t) => {
      await t.run("INSERT INTO t VALUES ('a1')")
      await tick()
      await t.run("INSERT INTO t VALUES ('a2')")
    })
    const b = db.transaction(async (t) => {
      await t.run("INSERT INTO t VALUES ('b1')")
    })
    await Promise.all([a, b])
    expect(await rows()).toEqual(['a1', 'a2', 'b1'])
  })

  it('the handle reads its own writes, and a transaction opened on it runs inside the outer one', async () => {
    await expect(
      db.transaction(async (t) => {
        await t.transaction(async (inner) => inner.run("INSERT INTO t VALUES ('nested')"))
        expect((await t.all<{ n: number }>('SELECT count(*)::INT AS n FROM t'))[0]!.n).toBe(1)
        throw new Error('roll it all back')
      }),
    ).rejects.toThrow('roll it all back')
    expect(await rows()).toEqual([])
  })
})
