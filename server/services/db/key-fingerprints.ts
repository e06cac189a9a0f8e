import type { SqlDb } from './sql-db'
import type { SecretBox } from '../security/secret-box'

/**
 * Fills in the fingerprint of keys stored before migration 11 (it needs the master key, which SQL
 * does not have). Runs at boot; a no-op once every key has one.
 */
export async function backfillKeyFingerprints(db: SqlDb, box: SecretBox): Promise<number> {
  const rows = await db.all<{ id: number; key_cipher: string }>('SELECT id, key_cipher FROM provider_keys WHERE fingerprint IS NULL')
  if (rows.length === 0) return 0
  await db.transaction(async (tx) => {
    for (const r of rows) await tx.run('UPDATE provider_keys SET fingerprint = $2 WHERE id = $1', [Number(r.id), box.keyFingerprint(box.decrypt(r.key_cipher))])
  })
  return rows.length
}
