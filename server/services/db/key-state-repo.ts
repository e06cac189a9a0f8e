import type { Database } from './database'
import type { KeyState } from '../../gateway/pool/key-state'
import type { StateStore } from '../../gateway/pool/state-store'
import { jsonColumn } from './table-rows'

/**
 * Key pool state survives restarts: counters, rests and (above all) disabled keys with their reason
 * are upserted in batches from the in-memory store, and read back at boot.
 */
export async function saveKeyStates(db: Database, rows: Array<[string, KeyState, string]>): Promise<void> {
  if (rows.length === 0) return
  await db.transaction(async (tx) => {
    for (const [hash, s, providerId] of rows) {
      await tx.run(
        `INSERT INTO key_state (key_hash, provider_id, requests, successes, failures, input_tokens, output_tokens, last_used, last_error, rest_until, strikes, disabled_reason, disabled_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, to_timestamp($8::DOUBLE), $9, to_timestamp($10::DOUBLE), $11, $12, to_timestamp($13::DOUBLE), now())
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
          s.lastUsed === null ? null : s.lastUsed / 1000,
          s.lastError,
          s.restUntil ? s.restUntil / 1000 : null,
          s.strikes,
          s.disabledReason,
          s.disabledAt === null ? null : s.disabledAt / 1000,
        ],
      )
    }
  })
}

export async function loadKeyStates(db: Database, store: StateStore): Promise<void> {
  // BIGINT and epoch_ms(…) come back as strings (JSON has no 64-bit integers): read with Number().
  type Row = { key_hash: string; requests: unknown; successes: unknown; failures: unknown; input_tokens: unknown; output_tokens: unknown; last_used: unknown; last_error: string | null; rest_until: unknown; strikes: unknown; disabled_reason: string | null; disabled_at: unknown }
  const rows = await db.all<Row>(
    `SELECT key_hash, requests, successes, failures, input_tokens, output_tokens, epoch_ms(last_used) AS last_used, last_error,
            epoch_ms(rest_until) AS rest_until, strikes, disabled_reason, epoch_ms(disabled_at) AS disabled_at FROM key_state`,
  )
  for (const r of rows) {
    const s = store.key(r.key_hash)
    s.requests = Number(r.requests)
    s.successes = Number(r.successes)
    s.failures = jsonColumn<KeyState['failures']>(r.failures, {})
    s.inputTokens = Number(r.input_tokens)
    s.outputTokens = Number(r.output_tokens)
    s.lastUsed = r.last_used === null ? null : Number(r.last_used)
    s.lastError = r.last_error
    s.restUntil = r.rest_until === null ? 0 : Number(r.rest_until)
    s.strikes = Number(r.strikes)
    s.disabledReason = r.disabled_reason
    s.disabledAt = r.disabled_at === null ? null : Number(r.disabled_at)
    s.dirty = false
  }
}
