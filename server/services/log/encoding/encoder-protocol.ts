import type { ChunkLimits, EncodedBatch } from './encode-rows'
import type { LogTableName, LogTableOptions } from './log-tables'

/**
 * The messages between the event loop and the log encoder thread. One thread serves every writer of
 * the process; each writer is a stream `s`. Messages are delivered in order, so a `flush` covers
 * exactly the `add`s posted before it.
 */
export type ToEncoder =
  | { t: 'open'; s: number; table: LogTableName; opts: LogTableOptions; limits: ChunkLimits }
  /** `bytes`: the items' forms, v8-serialized (the sender keeps its copy until the flush is answered). */
  | { t: 'add'; s: number; bytes: Uint8Array }
  | { t: 'flush'; s: number; id: number }
  | { t: 'close'; s: number }

export type FromEncoder = { t: 'flushed'; s: number; id: number; batch: EncodedBatch }
