import { createHash } from 'node:crypto'
import type { Database } from './db/database'
import type { PgDatabase } from './db/postgres/pg-database'
import { openEmbeddingCacheRepo, type EmbeddingCacheRepo } from './db/embedding-cache-repo'
import { logger } from '../utils/logger'
import { CacheUpkeep, hitRate } from './cache-upkeep'

export interface EmbeddingCacheOptions {
  enabled: boolean
  ttlHours: number
  maxRows: number
}

export interface EmbeddingCacheStats {
  enabled: boolean
  hits: number
  misses: number
  hitRate: number | null
  rows: number
  ttlHours: number
  maxRows: number
}

/** What makes two embeddings the same: the provider, the upstream model, the dimensions, the task type and the input. */
export interface EmbeddingKey {
  provider: string
  model: string
  dims: number
  taskType?: string
}

/**
 * The embedding cache: a DuckDB table keyed by sha256(provider, model, dims, task type, input), with a TTL and a
 * row bound. Hits and misses are counted per input. Writes never hold up the answer; the row count is
 * tracked in memory so the bound is enforced without counting rows per request.
 */
export class EmbeddingCache {
  hits = 0
  misses = 0
  private rows = 0
  private readonly upkeep = new CacheUpkeep('embedding cache')

  private constructor(
    private readonly repo: EmbeddingCacheRepo | undefined,
    readonly opts: EmbeddingCacheOptions,
    /** The storage guard's say: on a full disk the cache is read-only (lookups still served). */
    private readonly writable: () => boolean = () => true,
  ) {}

  static async open(db: Database | PgDatabase, opts: EmbeddingCacheOptions): Promise<EmbeddingCache> {
    if (!opts.enabled) return new EmbeddingCache(undefined, opts)
    const c = new EmbeddingCache(await openEmbeddingCacheRepo(db), opts, () => db.writable)
    c.rows = c.writable() ? await c.repo!.prune(c.minCreated(), opts.maxRows) : await c.repo!.count()
    // Expired rows are never served (lookups check the age); this only gives their space back.
    c.upkeep.every(3_600_000, () => c.prune())
    return c
  }

  get enabled(): boolean {
    return this.repo !== undefined
  }

  hash(k: EmbeddingKey, input: string | number[]): string {
    const h = createHash('sha256')
    h.update(`${k.provider}\0${k.model}\0${k.dims}\0${k.taskType ?? ''}\0`)
    h.update(typeof input === 'string' ? `s${input}` : `t${input.join(',')}`)
    return h.digest('hex')
  }

  /** The cached vectors (index → vector) for these inputs; a failing lookup is a miss, never an error. */
  async lookup(hashes: string[]): Promise<Map<string, number[]>> {
    if (!this.repo) return new Map()
    let found: Map<string, number[]>
    try {
      found = await this.repo.get([...new Set(hashes)], this.minCreated())
    } catch (e) {
      logger.warn('embedding cache lookup failed', { error: (e as Error).message })
      found = new Map()
    }
    for (const h of hashes) {
      if (found.has(h)) this.hits++
      else this.misses++
    }
    return found
  }

  /** Stores new vectors in the background; prunes when the bound is passed by a tenth. */
  store(k: EmbeddingKey, rows: Array<{ hash: string; vector: number[] }>): void {
    if (!this.repo || rows.length === 0 || !this.writable()) return
    this.upkeep.background(
      this.repo.put(rows.map((r) => ({ hash: r.hash, model: k.model, dims: k.dims, vector: r.vector }))).then(() => {
        this.rows += rows.length
        if (this.rows > this.opts.maxRows * 1.1) void this.prune()
      }),
    )
  }

  /** Waits for background writes (tests, shutdown). */
  settle(): Promise<void> {
    return this.upkeep.settle()
  }

  prune(): Promise<void> {
    const repo = this.repo
    if (!repo || !this.writable()) return Promise.resolve()
    return this.upkeep.prune(async () => {
      this.rows = await repo.prune(this.minCreated(), this.opts.maxRows)
    })
  }

  stats(): EmbeddingCacheStats {
    return {
      enabled: this.enabled,
      hits: this.hits,
      misses: this.misses,
      hitRate: hitRate(this.hits, this.misses),
      rows: this.rows,
      ttlHours: this.opts.ttlHours,
      maxRows: this.opts.maxRows,
    }
  }

  async close(): Promise<void> {
    await this.upkeep.stop()
    this.repo?.close()
  }

  private minCreated(): number {
    return Date.now() - this.opts.ttlHours * 3_600_000
  }
}
