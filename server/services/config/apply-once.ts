import type { PgDatabase } from '../db/postgres/pg-database'
import { getSetting, setSetting } from '../db/settings-repo'

/** The setting that names the rosetta.yaml text (its sha256) the shared database holds. */
const APPLIED = 'config_file_sha256'

/**
 * Cluster mode: every instance reads the same rosetta.yaml, and the first one to boot (or to see an
 * edit) with a given text applies it; the others, taking the same advisory lock after it, find that
 * text's hash stored and only load the result. So a shared file is applied exactly once, never by two
 * instances at the same moment (two transactions upserting the same rows would fail one another).
 * Returns whether this call applied it.
 */
export async function applyConfigOnce(db: PgDatabase, hash: string, apply: () => Promise<void>): Promise<boolean> {
  return db.withLock('config-file', async () => {
    if ((await getSetting(db, APPLIED)) === hash) return false
    await apply()
    await setSetting(db, APPLIED, hash)
    return true
  })
}
