import type { PgDatabase } from './pg-database'
import type { ResponseCacheStore, ResponseCacheTotals, StoredAnswer } from '../../../gateway/response-cache/store'

/**
 * The response cache on PostgreSQL (cluster mode): the same `response_cache` table (migration 8) and
 * the same contract as the DuckDB repository, shared by every instance on the database. Times are
 * epoch milliseconds turned into timestamps by the server (`to_timestamp`, sessions run in UTC).
 */
export class PgResponseCacheRepo implements ResponseCacheStore {
  constructor(private readonly db: PgDatabase) {}

  async get(key: string, nowMs: number): Promise<StoredAnswer | undefined> {
    const rows = await this.db.all<{ response: string; model: string; cost_usd: number | null }>(
      'SELECT response, model, cost_usd FROM response_cache WHERE cache_key = $1 AND expires_at > to_timestamp($2::double precision / 1000)',
      [key, nowMs],
    )
    const row = rows[0]
    if (!row) return undefined
    const parsed = JSON.parse(row.response) as Pick<StoredAnswer, 'response' | 'maxTokens'>
    return { response: parsed.response, maxTokens: parsed.maxTokens, model: row.model, costUsd: row.cost_usd === null ? null : Number(row.cost_usd) }
  }

  async put(key: string, entry: StoredAnswer, expiresAtMs: number): Promise<void> {
    const text = JSON.stringify({ response: entry.response, maxTokens: entry.maxTokens })
    await this.db.run(
      `INSERT INTO response_cache (cache_key, model, response, bytes, cost_usd, hits, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, 0, now(), to_timestamp($6::double precision / 1000))
       ON CONFLICT (cache_key) DO UPDATE SET model = excluded.model, response = excluded.response, bytes = excluded.bytes, cost_usd = excluded.cost_usd,
         created_at = excluded.created_at, expires_at = excluded.expires_at`,
      [key, entry.model, text, Buffer.byteLength(text), entry.costUsd, expiresAtMs],
    )
  }

  async hit(key: string): Promise<void> {
    await this.db.run('UPDATE response_cache SET hits = hits + 1 WHERE cache_key = $1', [key])
  }

  async prune(nowMs: number, maxBytes: number): Promise<ResponseCacheTotals> {
    await this.db.run('DELETE FROM response_cache WHERE expires_at <= to_timestamp($1::double precision / 1000)', [nowMs])
    const t = await this.totals()
    if (t.bytes <= maxBytes) return t
    // The oldest go first, until what is left fits.
    await this.db.run(
      `DELETE FROM response_cache WHERE cache_key IN (
         SELECT cache_key FROM (SELECT cache_key, sum(bytes) OVER (ORDER BY created_at DESC, cache_key) AS upto FROM response_cache) AS running WHERE upto > $1)`,
      [maxBytes],
    )
    return this.totals()
  }

  async purge(model?: string): Promise<number> {
    const before = (await this.totals()).entries
    if (model === undefined) await this.db.run('DELETE FROM response_cache')
    else await this.db.run('DELETE FROM response_cache WHERE model = $1', [model])
    return before - (await this.totals()).entries
  }

  async totals(): Promise<ResponseCacheTotals> {
    const rows = await this.db.all<{ n: string; bytes: string; hits: string; saved: string }>(
      'SELECT count(*) AS n, coalesce(sum(bytes), 0) AS bytes, coalesce(sum(hits), 0) AS hits, coalesce(sum(hits * coalesce(cost_usd, 0)), 0) AS saved FROM response_cache',
    )
    const r = rows[0]!
    return { entries: Number(r.n), bytes: Number(r.bytes), hits: Number(r.hits), savedUsd: Number(r.saved) }
  }

  close(): void {
    // The pool belongs to the database.
  }
}
