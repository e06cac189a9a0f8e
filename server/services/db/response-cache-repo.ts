import { timestampValue, type DuckDBConnection } from '@duckdb/node-api'
import type { Database } from './database'
import type { ResponseCacheStore, ResponseCacheTotals, StoredAnswer } from '../../gateway/response-cache/store'

/**
 * The response cache on DuckDB (migration 8): one row per key, the answer as IR JSON text. Lookups
 * are by primary key on the repository's own connection, so they never wait behind a configuration
 * transaction.
 */
export class ResponseCacheRepo implements ResponseCacheStore {
  private constructor(private readonly conn: DuckDBConnection) {}

  static async open(db: Database): Promise<ResponseCacheRepo> {
    return new ResponseCacheRepo(await db.connect())
  }

  async get(key: string, nowMs: number): Promise<StoredAnswer | undefined> {
    const reader = await this.conn.runAndReadAll('SELECT response, model, cost_usd FROM response_cache WHERE cache_key = $1 AND expires_at > $2', [key, microsAt(nowMs)])
    const row = reader.getRows()[0]
    if (!row) return undefined
    const parsed = JSON.parse(row[0] as string) as Pick<StoredAnswer, 'response' | 'maxTokens'>
    return { response: parsed.response, maxTokens: parsed.maxTokens, model: row[1] as string, costUsd: row[2] === null ? null : Number(row[2]) }
  }

  async put(key: string, entry: StoredAnswer, expiresAtMs: number): Promise<void> {
    const text = JSON.stringify({ response: entry.response, maxTokens: entry.maxTokens })
    await this.conn.run(
      `INSERT INTO response_cache (cache_key, model, response, bytes, cost_usd, hits, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, 0, now(), $6)
       ON CONFLICT (cache_key) DO UPDATE SET model = excluded.model, response = excluded.response, bytes = excluded.bytes, cost_usd = excluded.cost_usd,
         created_at = excluded.created_at, expires_at = excluded.expires_at`,
      [key, entry.model, text, Buffer.byteLength(text), entry.costUsd, microsAt(expiresAtMs)],
    )
  }

  async hit(key: string): Promise<void> {
    await this.conn.run('UPDATE response_cache SET hits = hits + 1 WHERE cache_key = $1', [key])
  }

  async prune(nowMs: number, maxBytes: number): Promise<ResponseCacheTotals> {
    await this.conn.run('DELETE FROM response_cache WHERE expires_at <= $1', [microsAt(nowMs)])
    const t = await this.totals()
    if (t.bytes <= maxBytes) return t
    // The oldest go first, until what is left fits.
    await this.conn.run(
      `DELETE FROM response_cache WHERE cache_key IN (
         SELECT cache_key FROM (SELECT cache_key, sum(bytes) OVER (ORDER BY created_at DESC, cache_key) AS upto FROM response_cache) WHERE upto > $1)`,
      [maxBytes],
    )
    return this.totals()
  }

  async purge(model?: string): Promise<number> {
    const before = (await this.totals()).entries
    if (model === undefined) await this.conn.run('DELETE FROM response_cache')
    else await this.conn.run('DELETE FROM response_cache WHERE model = $1', [model])
    return before - (await this.totals()).entries
  }

  async totals(): Promise<ResponseCacheTotals> {
    const reader = await this.conn.runAndReadAll('SELECT count(*), coalesce(sum(bytes), 0), coalesce(sum(hits), 0), coalesce(sum(hits * coalesce(cost_usd, 0)), 0) FROM response_cache')
    const r = reader.getRows()[0]!
    return { entries: Number(r[0]), bytes: Number(r[1]), hits: Number(r[2]), savedUsd: Number(r[3]) }
  }

  close(): void {
    this.conn.closeSync()
  }
}

/** A DuckDB timestamp from epoch milliseconds (as embedding-cache-repo.ts: no BigInt literal). */
function microsAt(ms: number) {
  return timestampValue(BigInt(Math.floor(ms) * 1000))
}
