import m001 from './001_init'
import m002 from './002_key_state'
import m005 from './005_embedding_cache'

/** Numbered migrations, applied in order, once each, inside a transaction. Append only. */
export const MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  { version: 1, sql: m001 },
  { version: 2, sql: m002 },
  { version: 5, sql: m005 },
]
