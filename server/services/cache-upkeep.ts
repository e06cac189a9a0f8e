import { logger } from '../utils/logger'

/**
 * The background side both caches (embeddings, responses) share: writes that never hold up an
 * answer yet are awaited at shutdown, one prune at a time, and a periodic prune that gives expired
 * rows' space back. Failures are logged under the cache's name, never thrown at a request.
 */
export class CacheUpkeep {
  private readonly writes = new Set<Promise<void>>()
  private pruning: Promise<void> | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly name: string) {}

  /** Runs a write in the background; settle() waits for it. */
  background(p: Promise<void>): void {
    const w = p.catch((e) => logger.warn(`${this.name} write failed`, { error: (e as Error).message })).finally(() => this.writes.delete(w))
    this.writes.add(w)
  }

  /** Starts `run` unless a prune is already running, which the caller then joins. */
  prune(run: () => Promise<void>): Promise<void> {
    this.pruning ??= run()
      .catch((e) => logger.warn(`${this.name} prune failed`, { error: (e as Error).message }))
      .finally(() => {
        this.pruning = undefined
      })
    return this.pruning
  }

  /** Calls `prune` every `ms` (unref'd: it never keeps the process alive). */
  every(ms: number, prune: () => Promise<void>): void {
    this.timer = setInterval(() => void prune(), ms)
    this.timer.unref()
  }

  /** Waits for background writes and a running prune (tests, shutdown, purge). */
  async settle(): Promise<void> {
    await Promise.all([...this.writes])
    await this.pruning
  }

  /** Stops the periodic prune and waits for what is under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    await this.settle()
  }
}

/** Hits over lookups, to four decimals; null before the first lookup. */
export function hitRate(hits: number, misses: number): number | null {
  const n = hits + misses
  return n === 0 ? null : Math.round((hits / n) * 10_000) / 10_000
}
