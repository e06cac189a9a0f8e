import { afterEach, describe, expect, it } from 'vitest'
import { Database } from '../../../server/services/db/database'
import { EmbeddingCache } from '../../../server/services/embedding-cache'
import { openEmbeddingCacheRepo, fromBytes, toBytes } from '../../../server/services/db/embedding-cache-repo'

let db: Database | undefined
afterEach(() => {
  db?.close()
  db = undefined
})

describe('the embedding cache', () => {
  it('counts hits and misses per input and keys on provider, model, dimensions and task type', async () => {
    db = await Database.open(':memory:')
    const c = await EmbeddingCache.open(db, { enabled: true, ttlHours: 1, maxRows: 100 })
    const k = { provider: 'p', model: 'm', dims: 0 }
    const h = c.hash(k, 'hello')
    expect(h).not.toBe(c.hash({ provider: 'p', model: 'm', dims: 3 }, 'hello'))
    // Two providers may serve different models under one name.
    expect(h).not.toBe(c.hash({ provider: 'q', model: 'm', dims: 0 }, 'hello'))
    expect(h).not.toBe(c.hash({ provider: 'p', model: 'm2', dims: 0 }, 'hello'))
    expect(h).not.toBe(c.hash({ provider: 'p', model: 'm', dims: 0, taskType: 'RETRIEVAL_QUERY' }, 'hello'))
    expect(c.hash(k, [1, 2])).not.toBe(c.hash(k, '1,2'))
    expect((await c.lookup([h])).size).toBe(0)
    c.store(k, [{ hash: h, vector: [0.25, -0.5, 1] }])
    await c.settle()
    const got = await c.lookup([h, c.hash(k, 'other')])
    expect(got.get(h)).toEqual([0.25, -0.5, 1])
    expect(c.stats()).toMatchObject({ enabled: true, hits: 1, misses: 2, hitRate: 0.3333, rows: 1 })
    await c.close()
  })

  it('does not serve entries older than the TTL, and prunes them', async () => {
    db = await Database.open(':memory:')
    const repo = await openEmbeddingCacheRepo(db)
    await repo.put([{ hash: 'old', model: 'm', dims: 0, vector: [1] }])
    await db.run("UPDATE embedding_cache SET created_at = now() - INTERVAL 3 HOUR WHERE input_hash = 'old'")
    await repo.put([{ hash: 'new', model: 'm', dims: 0, vector: [2] }])
    const c = await EmbeddingCache.open(db, { enabled: true, ttlHours: 2, maxRows: 100 })
    // opening pruned the expired row
    expect(c.stats().rows).toBe(1)
    expect([...(await c.lookup(['old', 'new'])).keys()]).toEqual(['new'])
    const all = await db.all<{ input_hash: string }>('SELECT input_hash FROM embedding_cache')
    expect(all.map((r) => r.input_hash)).toEqual(['new'])
    repo.close()
    await c.close()
  })

  it('keeps at most maxRows, dropping the oldest', async () => {
    db = await Database.open(':memory:')
    const c = await EmbeddingCache.open(db, { enabled: true, ttlHours: 1, maxRows: 3 })
    for (let i = 0; i < 5; i++) {
      c.store({ provider: 'p', model: 'm', dims: 0 }, [{ hash: `h${i}`, vector: [i] }])
      await c.settle()
      await db.run(`UPDATE embedding_cache SET created_at = now() - INTERVAL ${10 - i} MINUTE WHERE input_hash = 'h${i}'`)
    }
    await c.prune()
    const rows = await db.all<{ input_hash: string }>('SELECT input_hash FROM embedding_cache ORDER BY input_hash')
    expect(rows.map((r) => r.input_hash)).toEqual(['h2', 'h3', 'h4'])
    expect(c.stats().rows).toBe(3)
    await c.close()
  })

  it('disabled: no table use, every lookup empty', async () => {
    db = await Database.open(':memory:')
    const c = await EmbeddingCache.open(db, { enabled: false, ttlHours: 1, maxRows: 3 })
    c.store({ provider: 'p', model: 'm', dims: 0 }, [{ hash: 'x', vector: [1] }])
    expect((await c.lookup(['x'])).size).toBe(0)
    expect(c.stats()).toMatchObject({ enabled: false, hits: 0, misses: 0, hitRate: null })
  })

  it('stores vectors as float32 bytes', () => {
    expect(fromBytes(toBytes([0.5, -2, 3.25]))).toEqual([0.5, -2, 3.25])
    expect(toBytes([1, 2]).byteLength).toBe(8)
  })

  it('is keyed by a primary key on input_hash (DuckDB answers equality and IN lookups from its ART index)', async () => {
    db = await Database.open(':memory:')
    const rows = await db.all<{ constraint_type: string; constraint_column_names: string[] }>(
      "SELECT constraint_type, constraint_column_names FROM duckdb_constraints() WHERE table_name = 'embedding_cache' AND constraint_type = 'PRIMARY KEY'",
    )
    expect(rows).toEqual([{ constraint_type: 'PRIMARY KEY', constraint_column_names: ['input_hash'] }])
  })

})
