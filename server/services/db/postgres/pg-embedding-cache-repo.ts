import type { EmbeddingCacheRepo } from '../embedding-cache-repo'
import { fromBytes, toBytes } from '../embedding-cache-repo'
import type { PgDatabase } from './pg-database'

/** The embedding cache on PostgreSQL: vectors as BYTEA (float32 little-endian), lookups by primary key. */
export class PgEmbeddingCacheRepo implements EmbeddingCacheRepo {
  constructor(private readonly db: PgDatabase) {}

  async get(hashes: string[], minCreatedMs: number): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>()
    if (hashes.length === 0) return out
    const r = await this.db.pool.query<{ input_hash: string; vector: Buffer }>(
      'SELECT input_hash, vector FROM embedding_cache WHERE input_hash = ANY($2::varchar[]) AND created_at >= $1::timestamp',
      [new Date(minCreatedMs).toISOString(), hashes],
    )
    for (const row of r.rows) out.set(row.input_hash, fromBytes(row.vector))
    return out
  }

  async put(rows: Array<{ hash: string; model: string; dims: number; vector: number[] }>): Promise<void> {
    if (rows.length === 0) return
    const values: string[] = []
    const params: Array<string | number | Buffer> = []
    rows.forEach((r, i) => {
      const b = i * 4
      values.push(`($${b + 1}::varchar, $${b + 2}::varchar, $${b + 3}::integer, $${b + 4}::bytea, now())`)
      const bytes = toBytes(r.vector)
      params.push(r.hash, r.model, r.dims, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    })
    // Two inputs of one batch with the same hash would make ON CONFLICT touch a row twice: keep the last.
    await this.db.pool.query(
      `INSERT INTO embedding_cache (input_hash, model, dims, vector, created_at)
       SELECT DISTINCT ON (h) h, m, d, v, c FROM (VALUES ${values.join(', ')}) AS t(h, m, d, v, c)
       ON CONFLICT (input_hash) DO UPDATE SET vector = excluded.vector, created_at = excluded.created_at`,
      params,
    )
  }

  async count(): Promise<number> {
    return Number((await this.db.all<{ n: string }>('SELECT count(*) AS n FROM embedding_cache'))[0]?.n ?? 0)
  }

  async prune(minCreatedMs: number, maxRows: number): Promise<number> {
    await this.db.run('DELETE FROM embedding_cache WHERE created_at < $1::timestamp', [new Date(minCreatedMs).toISOString()])
    const n = await this.count()
    if (n > maxRows) {
      await this.db.run(
        `DELETE FROM embedding_cache WHERE input_hash IN (SELECT input_hash FROM embedding_cache ORDER BY created_at ASC, input_hash LIMIT ${Math.floor(n - maxRows)})`,
      )
      return maxRows
    }
    return n
  }

  close(): void {
    /* the pool is the store's */
  }
}
