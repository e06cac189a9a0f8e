import { afterEach, describe, expect, it } from 'vitest'
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { Database } from '../../../server/services/db/database'
import { StorageFullError } from '../../../server/services/db/storage-guard'
import { MIGRATIONS } from '../../../server/services/db/migrations'

const dirs: string[] = []
const open: Database[] = []
afterEach(async () => {
  for (const db of open.splice(0)) {
    await db.checkpointer.close()
    db.close()
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function folder(): string {
  const d = mkdtempSync(join(tmpdir(), 'rosetta-durability-'))
  dirs.push(d)
  return d
}

async function openDb(path: string, minFreeMb = 0): Promise<Database> {
  const db = await Database.open(path, { minFreeMb })
  open.push(db)
  return db
}

const walBytes = (path: string) => (existsSync(`${path}.wal`) ? statSync(`${path}.wal`).size : 0)

/** Runs statements on a raw instance and leaves their WAL behind, as a kill -9 would. */
async function leaveWal(path: string, statements: string[]): Promise<void> {
  const inst = await DuckDBInstance.create(path)
  const c = await inst.connect()
  await c.run('CHECKPOINT')
  await c.run('PRAGMA disable_checkpoint_on_shutdown')
  for (const s of statements) await c.run(s)
  c.closeSync()
  inst.closeSync()
}

describe('crash-safe storage', () => {
  it('leaves no WAL after the migrations of a fresh database (they are checkpointed as they commit)', async () => {
    const path = join(folder(), 'r.duckdb')
    await openDb(path)
    expect(walBytes(path)).toBe(0)
  })

  it('checkpoints a write on the configuration connection before acknowledging it', async () => {
    const path = join(folder(), 'r.duckdb')
    const db = await openDb(path)
    await db.run("INSERT INTO settings (key, value) VALUES ('probe', 'x')")
    expect(walBytes(path)).toBe(0)
    await db.transaction(async (tx) => {
      await tx.run("INSERT INTO settings (key, value) VALUES ('probe2', 'y')")
    })
    expect(walBytes(path)).toBe(0)
    expect(db.checkpointer.stats.checkpoints).toBeGreaterThanOrEqual(2)
  })

  it('opens a WAL that DuckDB refuses at open (the migrations never checkpointed), losing nothing', async () => {
    const path = join(folder(), 'r.duckdb')
    // What a kill during the first boot left before this fix: every migration committed, none
    // checkpointed. DuckDB 1.5 cannot replay that WAL at open.
    await leaveWal(path, [
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP DEFAULT current_timestamp)',
      ...MIGRATIONS.flatMap((m) => [m.sql, `INSERT INTO schema_migrations (version) VALUES (${m.version})`]),
      'ALTER TABLE request_log ADD COLUMN crash_test VARCHAR',
      "INSERT INTO settings (key, value) VALUES ('after-alter', 'kept')",
    ])
    await expect(DuckDBInstance.create(path)).rejects.toThrow(/replaying WAL.*GetDefaultDatabase/)

    const again = await openDb(path)
    expect(again.recovery).toMatchObject({ action: 'wal-replayed', keptAside: [] })
    expect(again.recovery!.error).toMatch(/GetDefaultDatabase/)
    expect(await again.all("SELECT value FROM settings WHERE key = 'after-alter'")).toEqual([{ value: 'kept' }])
    expect((await again.all("SELECT column_name FROM duckdb_columns() WHERE table_name = 'request_log' AND column_name = 'crash_test'")).length).toBe(1)
  })

  it('moves an unreplayable WAL aside with a timestamped name and opens what was checkpointed', async () => {
    const dir = folder()
    const path = join(dir, 'r.duckdb')
    const db = await openDb(path)
    await db.run("INSERT INTO settings (key, value) VALUES ('config', 'checkpointed')")
    await db.checkpointer.close()
    db.close()
    open.pop()
    // A WAL that inserts three VARCHARs into a table that has one INTEGER here: nothing can replay it.
    const other = join(dir, 'other.duckdb')
    await leaveWal(other, ['CREATE TABLE clash (a VARCHAR, b VARCHAR, c VARCHAR)', 'CHECKPOINT', "INSERT INTO clash VALUES ('x', 'y', 'z')", 'DROP TABLE clash'])
    const raw = await DuckDBInstance.create(path)
    const c = await raw.connect()
    await c.run('CREATE TABLE clash (a INTEGER)')
    c.closeSync()
    raw.closeSync()
    copyFileSync(`${other}.wal`, `${path}.wal`)
    const walSize = walBytes(path)

    const again = await openDb(path)
    expect(again.recovery?.action).toBe('wal-set-aside')
    expect(again.recovery!.keptAside).toHaveLength(1)
    expect(again.recovery!.keptAside[0]!.path).toMatch(/r\.duckdb\.wal\.damaged-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/)
    expect(again.recovery!.keptAside[0]!.bytes).toBe(walSize)
    expect(readdirSync(dir).filter((f) => f.includes('damaged'))).toHaveLength(1)
    expect(await again.all("SELECT value FROM settings WHERE key = 'config'")).toEqual([{ value: 'checkpointed' }])
  })

})

describe('a full data folder', () => {
  it('refuses configuration writes with a clear error, skips checkpoints, and reports it', async () => {
    const path = join(folder(), 'r.duckdb')
    const first = await openDb(path)
    await first.checkpointer.close()
    first.close()
    open.pop()
    // A floor no disk meets: the folder counts as full.
    const db = await openDb(path, 1e9)
    expect(db.guard.writable).toBe(false)
    await expect(db.run("INSERT INTO settings (key, value) VALUES ('x', 'y')")).rejects.toThrow(StorageFullError)
    await expect(db.run("INSERT INTO settings (key, value) VALUES ('x', 'y')")).rejects.toThrow(/out of space .*configuration is read-only until space returns/)
    expect(db.guard.canCheckpoint()).toBe(false)
    const before = db.checkpointer.stats.skipped
    await db.checkpointer.now()
    expect(db.checkpointer.stats.skipped).toBe(before + 1)
    expect(db.guard.health()).toMatchObject({ writable: false, minFreeMb: 1e9, readOnlyEpisodes: 1 })
    expect(db.guard.health().freeMb).toBeGreaterThanOrEqual(0)
  })
})
