import type { BatchTable } from '../batch-inserter'
import { ChunkBuilder, type ChunkLimits, type EncodedBatch } from './encode-rows'

/**
 * Turns a writer's queued items into statement-sized chunks of JSON lines. `add` is what the event
 * loop pays per handover; `flush` gives everything added so far, encoded. Two kinds: on a worker
 * thread (encoder-thread.ts, the production build) and inline (below: `nuxt dev`, unit tests, and the
 * fallback when the thread cannot run).
 */
export interface RowEncoder<T> {
  /** Where rows are encoded right now (a failed thread turns into 'inline'). */
  readonly where: 'thread' | 'inline'
  add(items: T[]): void
  flush(): Promise<EncodedBatch>
  close(): void
}

/** The longest the inline encoder holds the event loop before yielding to requests. */
const SLICE_MS = 2

/** Encodes on the event loop at flush time, in slices of at most SLICE_MS between which requests run. */
export class InlineRowEncoder<T> implements RowEncoder<T> {
  readonly where = 'inline'
  private pending: T[] = []

  constructor(
    private readonly spec: BatchTable<T>,
    private readonly limits: ChunkLimits,
  ) {}

  add(items: T[]): void {
    for (const item of items) this.pending.push(item)
  }

  async flush(): Promise<EncodedBatch> {
    const batch = this.pending
    this.pending = []
    const out = new ChunkBuilder(this.spec, this.limits)
    let slice = performance.now()
    for (let i = 0; i < batch.length; i++) {
      if ((i & 15) === 15 && performance.now() - slice > SLICE_MS) {
        await new Promise<void>((r) => setImmediate(r))
        slice = performance.now()
      }
      out.add(batch[i]!)
    }
    return out.finish()
  }

  close(): void {
    this.pending = []
  }
}
