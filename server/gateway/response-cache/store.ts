import type { CachedAnswer } from './cache-entry'

/**
 * Where the response cache keeps its entries. One implementation today, on DuckDB
 * (server/services/db/response-cache-repo.ts); a cluster adds a shared one (PostgreSQL or Redis) behind
 * the same five calls. Expiry is per entry; the caller bounds the total size with `prune`.
 */
export interface ResponseCacheStore {
  /** The live entry under this key (not expired at `nowMs`), or undefined. */
  get(key: string, nowMs: number): Promise<StoredAnswer | undefined>
  put(key: string, entry: StoredAnswer, expiresAtMs: number): Promise<void>
  /** Counts one more answer served from this entry (for the saved cost). */
  hit(key: string): Promise<void>
  /** Drops expired entries, then the oldest until at most `maxBytes` of answers remain; returns what is left. */
  prune(nowMs: number, maxBytes: number): Promise<ResponseCacheTotals>
  /** Removes every entry (or those of one model); returns how many went. */
  purge(model?: string): Promise<number>
  totals(): Promise<ResponseCacheTotals>
}

export interface StoredAnswer extends CachedAnswer {
  /** The model name the client asked for (for purging one model's entries). */
  model: string
  /** What the answer cost when it was made: each hit saves this much. */
  costUsd: number | null
}

export interface ResponseCacheTotals {
  entries: number
  bytes: number
  /** Answers served from the cache, and what they would have cost. */
  hits: number
  savedUsd: number
}

/** What the request path needs from the response cache (server/services/response-cache.ts). */
export interface ResponseCachePort {
  /** The entry under `key`, if live; a failing lookup is a miss, never an error. Counts hits and misses. */
  lookup(key: string): Promise<StoredAnswer | undefined>
  /** Stores an answer in the background, for `ttlS` seconds. */
  store(key: string, entry: StoredAnswer, ttlS: number): void
  /** Books one answer served from `entry` (its saved cost). */
  served(key: string, entry: StoredAnswer): void
  /** A found entry that could not answer this request after all (another output limit): counted as a miss. */
  unserved(): void
}
