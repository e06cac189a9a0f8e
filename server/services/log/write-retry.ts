import type { EncodedChunk } from './encoding/encode-rows'

/**
 * What a BatchInserter does with a chunk whose store was unreachable (PostgreSQL down, restarting, a
 * dropped connection): the chunk waits here, encoded, and is sent again first at the next flush, after
 * an exponential back-off (0.5 s doubling to 30 s), so a store that is away costs one failed connect
 * per back-off step, not one per chunk. The rows held count against the writer's queue bound (see
 * BatchInserter.push): beyond it new entries are dropped and counted, as always.
 *
 * A chunk the store refused for what it holds (a data error) never comes here: retrying it would fail
 * forever, so it is dropped and counted. A statement that committed just before its connection broke is
 * sent again: delivery is at least once.
 */
export class WriteRetry {
  private chunks: EncodedChunk[] = []
  /** Rows waiting to be sent again. */
  rows = 0
  private failures = 0
  private notBefore = 0

  constructor(
    /** Whether a failure means "the store is away" (retry) rather than "this chunk is bad" (drop). */
    readonly unreachable: (err: unknown) => boolean,
    private readonly firstMs = 500,
    private readonly maxMs = 30_000,
  ) {}

  /** Whether the back-off after the last failure is still running. */
  waiting(now = Date.now()): boolean {
    return now < this.notBefore
  }

  /** Keeps a chunk for later; `failed` (the store just refused it) lengthens the back-off. */
  hold(chunk: EncodedChunk, failed: boolean, now = Date.now()): void {
    this.chunks.push(chunk)
    this.rows += chunk.rows
    if (!failed) return
    this.failures++
    this.notBefore = now + Math.min(this.maxMs, this.firstMs * 2 ** Math.min(this.failures - 1, 16))
  }

  /** The chunks held, oldest first, handed over to be sent (and no longer held). */
  take(): EncodedChunk[] {
    const out = this.chunks
    this.chunks = []
    this.rows = 0
    return out
  }

  /** A write went through: the store is back, no back-off. */
  succeeded(): void {
    this.failures = 0
    this.notBefore = 0
  }

  /** Ends the back-off now (shutdown makes one last attempt). */
  retryNow(): void {
    this.notBefore = 0
  }
}
