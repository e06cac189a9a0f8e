import type { SqlDb } from './sql-db'
import type { KeyState } from '../../gateway/pool/key-state'
import type { StateStore } from '../../gateway/pool/state-store'
import { jsonColumn } from './table-rows'
import { isoOf } from './admin-tokens-repo'

/** Epoch ms as the ISO text both engines cast to TIMESTAMP (UTC). */
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
/** A TIMESTAMP column's UTC text back to epoch ms. */
const msOf = (v: unknown) => (typeof v === 'string' ? Date.parse(isoOf(v)) : null)

/**
 * Key pool state survives restarts: counters, rests and (above all) disabled keys with their reason
 * are upserted in batches from the in-memory store, and read back at boot.
 */
export async function saveKeyStates(db: SqlDb, rows: Array<[string, KeyState, string]>): Promise<void> {
  if (rows.length === 0) return
  await db.transaction(async (tx) => {
    for (const [hash, s, providerId] of rows) {
      await tx.run(
        `INSERT INTO key_state (key_hash, provider_id, requests, successes, failures, input_tokens, output_tokens, last_used, last_error, rest_until, strikes, disabled_reason, disabled_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, CAST($8 AS TIMESTAMP), $9, CAST($10 AS TIMESTAMP), $11, $12, CAST($13 AS TIMESTAMP), now())
         ON CONFLICT (key_hash) DO UPDATE SET provider_id = excluded.provider_id, requests = excluded.requests, successes = excluded.successes,
           failures = excluded.failures, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, last_used = excluded.last_used,
           last_error = excluded.last_error, rest_until = excluded.rest_until, strikes = excluded.strikes, disabled_reason = excluded.disabled_reason,
           disabled_at = excluded.disabled_at, updated_at = now()`,
        [
          hash,
          providerId,
          s.requests,
          s.successes,
          JSON.stringify(s.failures),
          s.inputTokens,
          s.outputTokens,
          iso(s.lastUsed),
          s.lastError,
          s.restUntil ? iso(s.restUntil) : null,
          s.strikes,
          s.disabledReason,
          iso(s.disabledAt),
        ],
      )
    }
  })
}

export async function loadKeyStates(db: SqlDb, store: StateStore): Promise<void> {
  // BIGINT comes back as a string (JSON has no 64-bit integers): read with Number(); TIMESTAMP as UTC text.
  type Row = { key_hash: string; requests: unknown; successes: unknown; failures: unknown; input_tokens: unknown; output_tokens: unknown; last_used: unknown; last_error: string | null; rest_until: unknown; strikes: unknown; disabled_reason: string | null; disabled_at: unknown }
  const rows = await db.all<Row>(
    'SELECT key_hash, requests, successes, failures, input_tokens, output_tokens, last_used, last_error, rest_until, strikes, disabled_reason, disabled_at FROM key_state',
  )
  for (const r of rows) {
    const s = store.key(r.key_hash)
    s.requests = Number(r.requests)
    s.successes = Number(r.successes)
    s.failures = jsonColumn<KeyState['failures']>(r.failures, {})
    s.inputTokens = Number(r.input_tokens)
    s.outputTokens = Number(r.output_tokens)
    s.lastUsed = msOf(r.last_used)
    s.lastError = r.last_error
    s.restUntil = msOf(r.rest_until) ?? 0
    s.strikes = Number(r.strikes)
    s.disabledReason = r.disabled_reason
    s.disabledAt = msOf(r.disabled_at)
    s.dirty = false
  }
}
