import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { PgDatabase } from '../../../server/services/db/postgres/pg-database'
import { postgresMigrations } from '../../../server/services/db/migrations/postgres'
import { pgAvailable } from '../../support/pg-server'
import { pgServer } from '../../support/store-engines'
import { randomBytes } from 'node:crypto'
import { applyConfigOnce } from '../../../server/services/config/apply-once'
import { applyConfigFile, loadStoredConfig } from '../../../server/services/db/config-repo'
import { parseConfigText } from '../../../server/services/config/load-file'
import { configTextHash } from '../../../server/services/config/watcher'
import { SecretBox } from '../../../server/services/security/secret-box'
import { listPrices, seedPrices } from '../../../server/services/db/price-repo'
import { presetPrices } from '../../../server/services/log/preset-prices'

/** What only PostgreSQL has to show: the role it runs as, day partitions, boots at the same moment. */
describe.skipIf(!pgAvailable && !process.env.CI)('PostgreSQL store', () => {
  const opened: PgDatabase[] = []
  // Starting the server (initdb, pg_ctl) takes a few seconds on a busy machine: not inside a test's time.
  beforeAll(async () => {
    await pgServer()
  }, 60_000)
  afterAll(async () => {
    for (const db of opened) await db.close()
  })

  it('runs as the database owner, not a superuser, with no extension', async () => {
    const db = await PgDatabase.open(await (await pgServer()).createDatabase())
    opened.push(db)
    const [me] = await db.all<{ su: boolean; owner: boolean }>(
      'SELECT r.rolsuper AS su, d.datdba = r.oid AS owner FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()',
    )
    expect(me).toEqual({ su: false, owner: true })
    expect(await db.all("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'")).toEqual([])
  })

  it('creates both log tables partitioned by range of ts, each with a default partition', async () => {
    const db = await PgDatabase.open(await (await pgServer()).createDatabase())
    opened.push(db)
    const parts = await db.all<{ t: string; strategy: string; key: string }>(
      `SELECT c.relname AS t, p.partstrat AS strategy, pg_get_partkeydef(c.oid) AS key FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid ORDER BY 1`,
    )
    expect(parts).toEqual([
      { t: 'request_bodies', strategy: 'r', key: 'RANGE (ts)' },
      { t: 'request_log', strategy: 'r', key: 'RANGE (ts)' },
    ])
    const defaults = await db.all<{ t: string }>(`SELECT c.relname AS t FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT' ORDER BY 1`)
    expect(defaults.map((d) => d.t)).toEqual(['request_bodies_default', 'request_log_default'])
  })

  it('instances booting at once on an empty database: one applies the migrations, all come up', async () => {
    const url = await (await pgServer()).createDatabase()
    const dbs = await Promise.all([1, 2, 3, 4].map(() => PgDatabase.open(url)))
    opened.push(...dbs)
    const rows = await dbs[0]!.all<{ version: number; n: string }>('SELECT version, count(*) AS n FROM schema_migrations GROUP BY version ORDER BY version')
    expect(rows.map((r) => r.version)).toEqual(postgresMigrations().map((m) => m.version))
    expect(rows.every((r) => Number(r.n) === 1)).toBe(true)
  })

  it("instances booting at once seed the presets' prices together: no duplicate key, each price once", async () => {
    const url = await (await pgServer()).createDatabase()
    const dbs = await Promise.all([1, 2, 3, 4].map(() => PgDatabase.open(url)))
    opened.push(...dbs)
    const prices = presetPrices()
    // The migrations put some prices in already: none, so every preset price is seeded in the race.
    await dbs[0]!.run('DELETE FROM prices')
    // Found in a 3-instance boot: "duplicate key value violates unique constraint prices_pkey".
    const added = await Promise.all(dbs.map((db) => seedPrices(db, prices)))
    const listed = await listPrices(dbs[0]!)
    expect(listed.map((p) => p.pattern).sort()).toEqual([...new Set(prices.map((p) => p.pattern))].sort())
    // Every price was added by exactly one of them.
    expect(added.flat().sort()).toEqual([...new Set(prices.map((p) => p.pattern))].sort())
  })

  it('the lock is held across instances: a second holder waits for the first', async () => {
    const url = await (await pgServer()).createDatabase()
    const [a, b] = await Promise.all([PgDatabase.open(url), PgDatabase.open(url)])
    opened.push(a, b)
    const order: string[] = []
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    const first = a.withLock('x', async () => {
      order.push('a in')
      await held
      order.push('a out')
    })
    // Wait until a holds the lock (seen from pg_locks), then ask b for it.
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    for (let i = 0; i < 100 && (await c.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted")).rowCount === 0; i++) await new Promise((r) => setTimeout(r, 20))
    await c.end()
    const second = b.withLock('x', () => {
      order.push('b in')
      return Promise.resolve()
    })
    await new Promise((r) => setTimeout(r, 100))
    expect(order).toEqual(['a in'])
    release()
    await Promise.all([first, second])
    expect(order).toEqual(['a in', 'a out', 'b in'])
  })

  it('a shared rosetta.yaml booted by several instances at once is applied by exactly one', async () => {
    const url = await (await pgServer()).createDatabase()
    const dbs = await Promise.all([1, 2, 3].map(() => PgDatabase.open(url)))
    opened.push(...dbs)
    const box = new SecretBox(randomBytes(32))
    const text = 'providers:\n  - { id: p1, type: openai, keys: [sk-shared-once-aaaa-1111] }\nmodels: []\nroutes: []\n'
    const cfg = parseConfigText(text)
    const applied = await Promise.all(dbs.map((db) => applyConfigOnce(db, configTextHash(text)!, () => applyConfigFile(db, box, cfg))))
    expect(applied.filter(Boolean)).toHaveLength(1)
    expect((await loadStoredConfig(dbs[2]!, box)).providers.map((p) => [p.id, p.keys.length])).toEqual([['p1', 1]])
    // An edit is applied again, once.
    const edited = text.replace('aaaa', 'bbbb')
    const again = await Promise.all(dbs.map((db) => applyConfigOnce(db, configTextHash(edited)!, () => applyConfigFile(db, box, parseConfigText(edited)))))
    expect(again.filter(Boolean)).toHaveLength(1)
    expect((await loadStoredConfig(dbs[0]!, box)).providers[0]!.keys.map((k) => k.key)).toEqual(['sk-shared-once-bbbb-1111'])
  })
})
