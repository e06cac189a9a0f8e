import type { BatchTable } from '../batch-inserter'

const UTF8 = new TextEncoder()
const LONE_SURROGATE = /\\ud[89a-f]/i
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * One statement's worth of rows: JSON lines (one JSON array per row, values in column order). Bytes
 * (UTF-8) for DuckDB, which binds them as a BLOB (a copy, where a string would be re-encoded on the
 * event loop); text for PostgreSQL, whose driver sends text.
 */
export interface EncodedChunk {
  payload: Uint8Array | string
  rows: number
}

export interface ChunkLimits {
  /** One statement carries at most this many rows or this many characters, so no single step is long. */
  maxRows: number
  maxChars: number
  as: 'bytes' | 'text'
}

/** What encoding a batch gave: its chunks, the rows that would not encode (dropped), and why. */
export interface EncodedBatch {
  chunks: EncodedChunk[]
  dropped: number
  errors: string[]
}

/** One row as a JSON line, or null when the table skips the item. Throws when it cannot be encoded. */
export function encodeRow<T>(spec: BatchTable<T>, item: T): string | null {
  const row = spec.row(item)
  if (row === null) return null
  const line = JSON.stringify(row)
  // A lone surrogate (possible in any client-sent string) comes out of JSON.stringify as a \udXXX
  // escape, which DuckDB's parser refuses, failing the whole statement: replace it like a decoder
  // would. (A literal backslash before "ud8" also matches; re-encoding it changes nothing.)
  return LONE_SURROGATE.test(line) ? JSON.stringify(row.map((v) => (typeof v === 'string' ? v.replace(LONE, '\uFFFD') : v))) : line
}

/**
 * Collects encoded lines into chunks within the limits. `add` takes one item; `finish` closes the
 * last chunk. A row that throws is dropped and counted alone, never its neighbours.
 */
export class ChunkBuilder<T> {
  private lines: string[] = []
  private chars = 0
  readonly out: EncodedBatch = { chunks: [], dropped: 0, errors: [] }

  constructor(
    private readonly spec: BatchTable<T>,
    private readonly limits: ChunkLimits,
  ) {}

  add(item: T): void {
    let line: string | null
    try {
      line = encodeRow(this.spec, item)
    } catch (err) {
      this.out.dropped++
      // A few reasons are enough for the operator's log; a flood of identical ones is not.
      if (this.out.errors.length < 5) this.out.errors.push((err as Error).message)
      return
    }
    if (line === null) return
    this.lines.push(line)
    this.chars += line.length + 1
    if (this.lines.length >= this.limits.maxRows || this.chars >= this.limits.maxChars) this.cut()
  }

  finish(): EncodedBatch {
    this.cut()
    return this.out
  }

  private cut(): void {
    if (this.lines.length === 0) return
    const text = this.lines.join('\n')
    // TextEncoder gives each chunk an ArrayBuffer of its own (Buffer.from may slice a shared pool),
    // which the encoder thread can hand over without a copy.
    this.out.chunks.push({ payload: this.limits.as === 'bytes' ? UTF8.encode(text) : text, rows: this.lines.length })
    this.lines = []
    this.chars = 0
  }
}
