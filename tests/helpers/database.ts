import { afterAll, beforeAll } from 'vitest'
import { randomBytes } from 'node:crypto'
import { Database } from '../../server/services/db/database'
import { SecretBox } from '../../server/services/security/secret-box'

/** An in-memory, fully migrated database for the enclosing describe (or file): opened before its tests, closed after. */
export function useMemoryDatabase(): { readonly db: Database } {
  let db: Database | undefined
  beforeAll(async () => {
    db = await Database.open(':memory:')
  })
  afterAll(() => db?.close())
  return {
    get db() {
      if (!db) throw new Error('the database opens in beforeAll: use it inside a test')
      return db
    },
  }
}

/** A fresh in-memory database and a secret box with a random key: what a config write needs, per test. */
export async function openConfigStore(): Promise<{ db: Database; box: SecretBox }> {
  return { db: await Database.open(':memory:'), box: new SecretBox(randomBytes(32)) }
}
