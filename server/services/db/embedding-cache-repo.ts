import { blobValue, timestampValue, type DuckDBBlobValue, type DuckDBConnection } from '@duckdb/node-api'
import { Database } from './database'
import type { PgDatabase } from './postgres/pg-database'
import { PgEmbeddingCacheRepo } from './postgres/pg-embedding-cache-repo'

/**
 * The embedding cache table (migration 5). Vectors are stored as little-endian float32 bytes: the
 * precision OpenAI's own base64 format has, at a quarter of the size of JSON text. Every lookup is by
 * primary key. One interface, one implementation per engine (blobs and timestamps bind differently).
 */
export interface EmbeddingCacheRepo {
  /** hash → vector for the hashes present and younger than `minCreatedMs`. */
  get(hashes: string[], minCreatedMs: number): Promise<Map<string, number[]>>
  put(rows: Array<{ hash: string; model: string; dims: number; vector: number[] }>): Promise<void>
  count(): Promise<number>
  /** Drops expired rows, then the oldest beyond `maxRows`. Returns the rows left. */
  prune(minCreatedMs: number, maxRows: number): Promise<number>
  close(): void
}

export async function openEmbeddingCacheRepo(db: Database | PgDatabase): Promise<EmbeddingCacheRepo> {
  return db instanceof Database ? new DuckEmbeddingCacheRepo(await db.connect()) : new PgEmbeddingCacheRepo(db)
}

/** DuckDB: a connection of its own keeps its statements out of other services' transactions. */
class DuckEmbeddingCacheRepo implements EmbeddingCacheRepo {
  constructor(private readonly conn: DuckDBConnection) {}

  async get(hashes: string[], minCreatedMs: number): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>()
    if (hashes.length === 0) return out
    const marks = hashes.map((_, i) => `$${i + 2}`).join(', ')
    const reader = await this.conn.runAndReadAll(
      `SELECT input_hash, vector FROM embedding_cache WHERE input_hash IN (${marks}) AND created_at >= $1`,
      [microsAt(minCreatedMs), ...hashes],
    )
    for (const row of reader.getRows()) out.set(row[0] as string, fromBytes((row[1] as DuckDBBlobValue).bytes))
    return out
  }

  async put(rows: Array<{ hash: string; model: string; dims: number; vector: number[] }>): Promise<void> {
    if (rows.length === 0) return
    const values: string[] = []
    const params: Array<string | number | ReturnType<typeof blobValue>> = []
    rows.forEach((r, i) => {
      const b = i * 4
      values.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, now())`)
      params.push(r.hash, r.model, r.dims, blobValue(toBytes(r.vector)))
    })
    await this.conn.run(
      `INSERT INTO embedding_cache (input_hash, model, dims, vector, created_at) VALUES ${values.join(', ')}
       ON CONFLICT (input_hash) DO UPDATE SET vector = excluded.vector, created_at = excluded.created_at`,
      params,
    )
  }

  async count(): Promise<number> {
    const reader = await this.conn.runAndReadAll('SELECT count(*) FROM embedding_cache')
    return Number(reader.getRows()[0]![0])
  }

  async prune(minCreatedMs: number, maxRows: number): Promise<number> {
    await this.conn.run('DELETE FROM embedding_cache WHERE created_at < $1', [microsAt(minCreatedMs)])
    const n = await this.count()
    if (n > maxRows) {
      await this.conn.run(
        `DELETE FROM embedding_cache WHERE input_hash IN (SELECT input_hash FROM embedding_cache ORDER BY created_at ASC, input_hash LIMIT ${Math.floor(n - maxRows)})`,
      )
      return maxRows
    }
    return n
  }

  close(): void {
    this.conn.closeSync()
  }
}

export function toBytes(v: number[]): Uint8Array {
  const f = new Float32Array(v)
  return new Uint8Array(f.buffer, f.byteOffset, f.byteLength)
}

/**
 * A DuckDB timestamp (microseconds) from epoch milliseconds. Multiplied as a number, not with a `1000n`
 * literal: Nitro's esbuild targets a syntax level without BigInt literals and warns about each one.
 * Microseconds since 1970 stay far below 2^53 until the year 2255, so the product is exact.
 */
function microsAt(ms: number) {
  return timestampValue(BigInt(Math.floor(ms) * 1000))
}

export function fromBytes(b: Uint8Array): number[] {
  // Copy: the blob's buffer may not be 4-byte aligned.
  const copy = new Uint8Array(b)
  return Array.from(new Float32Array(copy.buffer, 0, copy.byteLength / 4))
}
