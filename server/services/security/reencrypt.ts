import type { SqlDb } from '../db/sql-db'
import type { SecretBox } from './secret-box'
import { logger } from '../../utils/logger'

/**
 * The master-key change: every stored upstream key is decrypted with the old key and encrypted with
 * the new one, and the fingerprint moves, all in one transaction (a failure changes nothing).
 * Run by starting once with NUXT_MASTER_KEY (or master.key) = the new key and NUXT_OLD_MASTER_KEY =
 * the previous one.
 */
export async function reencryptSecrets(db: SqlDb, oldBox: SecretBox, newBox: SecretBox, storedFingerprint: string): Promise<number> {
  if (oldBox.fingerprint() !== storedFingerprint)
    throw new Error('NUXT_OLD_MASTER_KEY is not the key the stored upstream keys were encrypted with either: nothing was changed.')
  const rows = await db.all<{ id: number; key_cipher: string }>('SELECT id, key_cipher FROM provider_keys')
  await db.transaction(async (tx) => {
    for (const r of rows) {
      await tx.run('UPDATE provider_keys SET key_cipher = $2 WHERE id = $1', [Number(r.id), newBox.encrypt(oldBox.decrypt(r.key_cipher))])
    }
    await tx.run("UPDATE settings SET value = $1, updated_at = now() WHERE key = 'master_key_fingerprint'", [newBox.fingerprint()])
  })
  logger.warn('stored upstream keys re-encrypted under the new master key; remove NUXT_OLD_MASTER_KEY now', { keys: rows.length })
  return rows.length
}
