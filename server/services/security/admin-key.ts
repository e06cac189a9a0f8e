import type { SqlDb } from '../db/sql-db'
import { getSetting, setSetting } from '../db/settings-repo'
import { generateKey, hashKey, maskSecret } from './hashing'

export interface AdminKeyState {
  /** sha256 of the admin key in force. */
  hash: string
  /** True when NUXT_ADMIN_KEY set it (rotation is then refused). */
  fromEnv: boolean
  /** The plain key, only when it was generated on this boot (printed once, never stored). */
  generated?: string
}

/** No default password: NUXT_ADMIN_KEY wins; else the stored hash; else a fresh key printed once. */
export async function ensureAdminKey(db: SqlDb, configured: string): Promise<AdminKeyState> {
  if (configured) return { hash: hashKey(configured), fromEnv: true }
  const stored = await getSetting(db, 'admin_key_hash')
  if (stored) return { hash: stored, fromEnv: false }
  const key = generateKey('rsk-admin-')
  await setSetting(db, 'admin_key_hash', hashKey(key))
  await setSetting(db, 'admin_key_created_at', new Date().toISOString())
  await setSetting(db, 'admin_key_hint', maskSecret(key))
  return { hash: hashKey(key), fromEnv: false, generated: key }
}
