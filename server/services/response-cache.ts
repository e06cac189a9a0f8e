import { Database } from './db/database'
import type { PgDatabase } from './db/postgres/pg-database'
import { ResponseCacheRepo } from './db/response-cache-repo'
import { PgResponseCacheRepo } from './db/postgres/pg-response-cache-repo'
import type { ResponseCachePort, ResponseCacheStore, ResponseCacheTotals, StoredAnswer } from '../gateway/response-cache/store'
import { logger } from '../utils/logger'
import { CacheUpkeep, hitRate } from './cache-upkeep'

export interface ResponseCacheOptions {
  /** NUXT_RESPONSE_CACHE=false: no response is cached, whatever rosetta.yaml declares. */
  enabled: boolean
  /** NUXT_RESPONSE_CACHE_MAX_MB: the answers kept, at most (oldest dropped first). */
  maxBytes: number
}

export interface ResponseCacheStats extends ResponseCacheTotals {
  enabled: boolean
  maxBytes: number
  /** Since boot: lookups that found a servable answer, and those that did not. */
  lookups: { hits: number; misses: number; hitRate: number | null }
  /** Since boot: what the answers served from the cache would have cost upstream. */
  savedUsdSinceBoot: number
}

/**
 * The exact response cache (issue 19) over a `ResponseCacheStore` (DuckDB now; a shared store in a
 * cluster). Lookups are one primary-key read; writes, hit counts and pruning happen in the background
 * and never hold up an answer; on a full disk (the storage guard) nothing is written.
 */
export class ResponseCache implements ResponseCachePort {
  hits = 0
  misses = 0
  savedUsd = 0
  private bytes = 0
  private readonly upkeep = new CacheUpkeep('response cache')

  private constructor(
    private readonly store_: ResponseCacheStore | undefined,
    readonly opts: ResponseCacheOptions,
    private readonly writable: () => boolean = () => true,
  ) {}

  static async open(db: Database | PgDatabase, opts: ResponseCacheOptions): Promise<ResponseCache> {
    if (!opts.enabled) return new ResponseCache(undefined, opts)
    // DuckDB: the repository's own connection; PostgreSQL: the shared pool, one cache for every instance.
    const store = db instanceof Database ? await ResponseCacheRepo.open(db) : new PgResponseCacheRepo(db)
    return ResponseCache.over(store, opts, () => db.writable)
  }

  /** Over any store (tests; a cluster's shared store). */
  static async over(store: ResponseCacheStore, opts: ResponseCacheOptions, writable?: () => boolean): Promise<ResponseCache> {
    const c = new ResponseCache(store, opts, writable)
    c.bytes = (c.writable() ? await store.prune(Date.now(), opts.maxBytes) : await store.totals()).bytes
    // Expired entries are never served (lookups check the time); this only gives their space back.
    c.upkeep.every(600_000, () => c.prune())
    return c
  }

  get enabled(): boolean {
    return this.store_ !== undefined
  }

  async lookup(key: string): Promise<StoredAnswer | undefined> {
    if (!this.store_) return undefined
    let found: StoredAnswer | undefined
    try {
      found = await this.store_.get(key, Date.now())
    } catch (e) {
      logger.warn('response cache lookup failed', { error: (e as Error).message })
    }
    if (found) this.hits++
    else this.misses++
    return found
  }

  /** A hit whose answer could not be used after all (another output limit): a miss. */
  unserved(): void {
    this.hits--
    this.misses++
  }

  served(key: string, entry: StoredAnswer): void {
    this.savedUsd += entry.costUsd ?? 0
    if (this.store_ && this.writable()) this.upkeep.background(this.store_.hit(key))
  }

  store(key: string, entry: StoredAnswer, ttlS: number): void {
    if (!this.store_ || !this.writable() || ttlS <= 0) return
    this.upkeep.background(
      this.store_.put(key, entry, Date.now() + ttlS * 1000).then(() => {
        this.bytes += JSON.stringify(entry.response).length
        if (this.bytes > this.opts.maxBytes * 1.1) void this.prune()
      }),
    )
  }

  prune(): Promise<void> {
    const store = this.store_
    if (!store || !this.writable()) return Promise.resolve()
    return this.upkeep.prune(async () => {
      this.bytes = (await store.prune(Date.now(), this.opts.maxBytes)).bytes
    })
  }

  /** Removes every entry, or one model's; returns how many. */
  async purge(model?: string): Promise<number> {
    if (!this.store_) return 0
    await this.settle()
    const n = await this.store_.purge(model)
    this.bytes = (await this.store_.totals()).bytes
    return n
  }

  async stats(): Promise<ResponseCacheStats> {
    const totals = this.store_ ? await this.store_.totals() : { entries: 0, bytes: 0, hits: 0, savedUsd: 0 }
    return {
      enabled: this.enabled,
      maxBytes: this.opts.maxBytes,
      ...totals,
      lookups: { hits: this.hits, misses: this.misses, hitRate: hitRate(this.hits, this.misses) },
      savedUsdSinceBoot: Math.round(this.savedUsd * 1e6) / 1e6,
    }
  }

  /** Waits for background writes (tests, shutdown, purge). */
  settle(): Promise<void> {
    return this.upkeep.settle()
  }

  async close(): Promise<void> {
    await this.upkeep.stop()
    if (this.store_ instanceof ResponseCacheRepo) this.store_.close()
  }
}
