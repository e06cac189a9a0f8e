import m001 from './001_init'
import m002 from './002_key_state'
import m003 from './003_request_log_detail'
import m004 from './004_security'
import m005 from './005_embedding_cache'
import m006 from './006_request_log_cache_hit'
import m007 from './007_request_log_warnings'
import m008 from './008_response_cache'
import m011 from './011_key_fingerprint'
import m018 from './018_provider_options'
import m019 from './019_request_log_instance'

/**
 * Numbered migrations, applied in this order, once each, inside a transaction. Append only, in
 * ascending order; every NNN_*.ts file here is listed (tests/unit/core/migrations.test.ts checks both).
 * Numbers are handed out per branch, so gaps are expected.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  { version: 1, sql: m001 },
  { version: 2, sql: m002 },
  { version: 3, sql: m003 },
  { version: 4, sql: m004 },
  { version: 5, sql: m005 },
  { version: 6, sql: m006 },
  { version: 7, sql: m007 },
  { version: 8, sql: m008 },
  { version: 11, sql: m011 },
  { version: 18, sql: m018 },
  { version: 19, sql: m019 },
]
