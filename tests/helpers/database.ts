import { afterAll, beforeAll } from 'vitest'
import { Database } from '../../server/services/db/database'

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
