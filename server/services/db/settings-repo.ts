import type { SqlDb } from './sql-db'

/** Small key/value settings (fingerprints, hashes, timestamps). */
export async function getSetting(db: SqlDb, key: string): Promise<string | undefined> {
  const rows = await db.all<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key])
  return rows[0]?.value
}

export async function setSetting(db: SqlDb, key: string, value: string): Promise<void> {
  await db.run(
    'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()',
    [key, value],
  )
}
