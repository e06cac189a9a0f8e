import { existsSync, renameSync, statSync } from 'node:fs'
import { DuckDBInstance } from '@duckdb/node-api'
import { isDiskFull } from './storage-guard'

/** What a boot had to do to open a database that a crash left behind; null when it opened as is. */
export interface Recovery {
  /** The first line of DuckDB's refusal. */
  error: string
  /**
   * - `wal-replayed`: the WAL was replayed another way (nothing lost);
   * - `wal-set-aside`: the WAL was moved aside (lost: what it held beyond the last checkpoint, which
   *   configuration never is, as configuration writes checkpoint);
   * - `database-set-aside`: the file itself would not open either: both moved aside, a fresh database;
   * - `read-only`: the disk was too full to open it for writing (nothing moved: that is not damage);
   *   it serves what it holds until a restart with space.
   */
  action: 'wal-replayed' | 'wal-set-aside' | 'database-set-aside' | 'read-only'
  /** The files moved aside, with their sizes. */
  keptAside: Array<{ path: string; bytes: number }>
  at: string
}

type Options = Record<string, string>

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 500)

/** Another process holds the file: never "recover" from that, it is not damage. */
const isLock = (msg: string) => /could not set lock|conflicting lock/i.test(msg)

/**
 * Opens a DuckDB file, recovering from a WAL that DuckDB refuses to replay at open.
 *
 * Why the detour through ATTACH works: replaying our migrations' `ALTER TABLE … ADD COLUMN` makes
 * DuckDB 1.5 bind the table's column defaults (`DEFAULT current_timestamp`), which looks up a default
 * database, and there is none yet while the main database is being attached at open ("Calling
 * DatabaseManager::GetDefaultDatabase with no default database set"). Attached from an in-memory
 * instance, a default database exists and the same WAL replays; a CHECKPOINT then folds it into the
 * file. Only when that fails too is the WAL moved aside, and only when the file alone
 * will not open either is the file moved aside. Nothing is ever deleted, and a full disk is never
 * taken for damage.
 */
export async function openInstance(path: string, options: Options, now = new Date()): Promise<{ instance: DuckDBInstance; recovery: Recovery | null }> {
  try {
    return { instance: await DuckDBInstance.create(path, options), recovery: null }
  } catch (e) {
    const error = firstLine(e)
    const wal = `${path}.wal`
    if (path === ':memory:' || isLock(error)) throw e
    const at = now.toISOString()
    if (isDiskFull(error)) {
      return { instance: await DuckDBInstance.create(path, { ...options, access_mode: 'READ_ONLY' }), recovery: { error, action: 'read-only', keptAside: [], at } }
    }
    if (!existsSync(wal)) throw e
    if (await replayByAttach(path)) {
      return { instance: await DuckDBInstance.create(path, options), recovery: { error, action: 'wal-replayed', keptAside: [], at } }
    }
    const stamp = at.replace(/[:.]/g, '-')
    const keptAside = [setAside(wal, `${path}.wal.damaged-${stamp}`)]
    try {
      return { instance: await DuckDBInstance.create(path, options), recovery: { error, action: 'wal-set-aside', keptAside, at } }
    } catch (e2) {
      if (isLock(firstLine(e2)) || !existsSync(path)) throw e2
      keptAside.push(setAside(path, `${path}.damaged-${stamp}`))
      return { instance: await DuckDBInstance.create(path, options), recovery: { error, action: 'database-set-aside', keptAside, at } }
    }
  }
}

async function replayByAttach(path: string): Promise<boolean> {
  let mem: DuckDBInstance | undefined
  try {
    mem = await DuckDBInstance.create(':memory:')
    const conn = await mem.connect()
    try {
      await conn.run(`ATTACH '${path.replaceAll("'", "''")}' AS recovering`)
      await conn.run('CHECKPOINT recovering')
      await conn.run('DETACH recovering')
      return true
    } finally {
      conn.closeSync()
    }
  } catch {
    return false
  } finally {
    mem?.closeSync()
  }
}

function setAside(from: string, to: string): { path: string; bytes: number } {
  const bytes = statSync(from).size
  renameSync(from, to)
  return { path: to, bytes }
}
