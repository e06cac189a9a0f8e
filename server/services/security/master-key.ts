import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { SecretBox, parseMasterKey } from './secret-box'
import type { SqlDb } from '../db/sql-db'
import { getSetting, setSetting } from '../db/settings-repo'
import { reencryptSecrets } from './reencrypt'

/**
 * The master key: NUXT_MASTER_KEY, else `master.key` (mode 0600) beside the DuckDB file, generated on
 * first boot. `dbFile` is that file, or null when there is none to sit beside: an in-memory DuckDB
 * (a fresh key) or PostgreSQL, where the key must be given (every instance needs the same one, and
 * nothing is written locally; app-state.ts refuses the boot before this is reached).
 * A key that does not match the one the stored secrets were written with is refused.
 */
export async function loadMasterKey(db: SqlDb, dbFile: string | null, configured: string, oldKey = ''): Promise<SecretBox> {
  let key: Buffer
  if (configured) {
    key = parseMasterKey(configured)
  } else if (dbFile === null || dbFile === ':memory:') {
    key = randomBytes(32)
  } else {
    const file = join(dirname(dbFile), 'master.key')
    if (existsSync(file)) {
      key = parseMasterKey(readFileSync(file, 'utf8'))
    } else {
      key = randomBytes(32)
      writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 })
      chmodSync(file, 0o600)
    }
  }
  const box = new SecretBox(key)
  const stored = await getSetting(db, 'master_key_fingerprint')
  if (stored && stored !== box.fingerprint()) {
    if (!oldKey)
      throw new Error(
        'The master key differs from the one the stored upstream keys were encrypted with. ' +
          'Restore the previous NUXT_MASTER_KEY / master.key, or start once with the previous key in NUXT_OLD_MASTER_KEY ' +
          'to re-encrypt the stored keys under the new one.',
      )
    await reencryptSecrets(db, new SecretBox(parseMasterKey(oldKey)), box, stored)
    return box
  }
  if (!stored) await setSetting(db, 'master_key_fingerprint', box.fingerprint())
  return box
}
