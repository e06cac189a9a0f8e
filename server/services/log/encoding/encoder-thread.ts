import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { deserialize, serialize } from 'node:v8'
import { Worker } from 'node:worker_threads'
import { logger } from '../../../utils/logger'
import type { ChunkLimits, EncodedBatch } from './encode-rows'
import type { FromEncoder, ToEncoder } from './encoder-protocol'
import type { LogTableName, LogTableOptions } from './log-tables'
import type { RowEncoder } from './row-encoder'

/**
 * The built worker, beside the server entry (.output/server/log-encoder-worker.mjs): Nitro rewrites
 * import.meta.url to the entry's URL. Null where there is none (`nuxt dev`, unit tests), and the
 * writers encode inline.
 */
export function builtEncoderFile(): string | null {
  try {
    const file = fileURLToPath(new URL('./log-encoder-worker.mjs', import.meta.url))
    return existsSync(file) ? file : null
  } catch {
    return null
  }
}

/** The thread the settings ask for: the built worker unless NUXT_LOG_ENCODER_THREAD=false. */
export function encoderThreadFile(s: { logEncoderThread: boolean }): EncoderThreadFile | null {
  const file = s.logEncoderThread ? builtEncoderFile() : null
  return file ? { file } : null
}

export interface EncoderThreadFile {
  /** The thread's entry module (tests use one that runs the TypeScript source under tsx). */
  file: string
}

/**
 * One worker thread that encodes the rows of every log writer in the process (each writer is a
 * stream). It only encodes: the writers keep their database connections on the event loop and bind
 * the finished chunks. If the thread fails, every writer finishes its pending batches, and all later
 * ones, inline: a row is never lost to the thread.
 */
export class EncoderThread {
  /** Started with the first rows to encode: a server that logs nothing pays no thread (~10 MB RSS). */
  private worker: Worker | undefined
  private readonly early: ToEncoder[] = []
  private readonly streams = new Map<number, WorkerRowEncoder<never>>()
  private nextStream = 1
  private closing = false
  private failed = false

  constructor(private readonly where: EncoderThreadFile) {}

  private start(): Worker {
    const w = new Worker(this.where.file)
    // A thread must not keep the process alive: the writers' close() flushes before shutdown.
    w.unref()
    w.on('message', (m: FromEncoder) => this.streams.get(m.s)?.answered(m.id, m.batch))
    w.on('error', (err: unknown) => this.fail(err instanceof Error ? err : new Error(String(err))))
    w.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`the log encoder thread exited (code ${code})`))
    })
    for (const m of this.early.splice(0)) w.postMessage(m)
    return w
  }

  get alive(): boolean {
    return !this.failed && !this.closing
  }

  open<T>(table: LogTableName, opts: LogTableOptions, limits: ChunkLimits, handover: Handover<T>, fallback: RowEncoder<unknown>): RowEncoder<T> {
    const s = this.nextStream++
    const enc = new WorkerRowEncoder<T>(this, s, handover, fallback)
    this.streams.set(s, enc as unknown as WorkerRowEncoder<never>)
    this.post({ t: 'open', s, table, opts, limits })
    return enc
  }

  post(m: ToEncoder): void {
    if (!this.alive) return
    if (this.worker) this.worker.postMessage(m)
    else if (m.t === 'add') (this.worker = this.start()).postMessage(m)
    else if (m.t === 'open') this.early.push(m)
  }

  /** A writer is done; the last one stops the thread. */
  release(s: number): void {
    this.post({ t: 'close', s })
    this.streams.delete(s)
    if (this.streams.size === 0 && this.alive) {
      this.closing = true
      void this.worker?.terminate()
    }
  }

  private fail(err: Error): void {
    if (this.failed || this.closing) return
    this.failed = true
    logger.error('the log encoder thread failed: the request log is encoded on the event loop from now on', { error: err.message })
    for (const s of this.streams.values()) s.failover()
  }
}

/**
 * What a writer hands the thread for one item (serialized, so only what the row needs), and what it
 * lets go of on the item once that is made.
 */
export interface Handover<T> {
  form(item: T): unknown
  release?(item: T): void
}

const EMPTY: EncodedBatch = { chunks: [], dropped: 0, errors: [] }

class WorkerRowEncoder<T> implements RowEncoder<T> {
  /**
   * Handed over since the last flush, as the serialized bytes sent: kept until the thread answers so
   * that a failed thread loses nothing, and kept off the JS heap, so that holding them for up to a
   * flush interval costs the young-generation collector nothing (entries held as objects survived
   * scavenges: 1–3 ms pauses at every one, the 1-connection p99).
   */
  private unflushed: Buffer[] = []
  private readonly waiting = new Map<number, { sent: Buffer[]; resolve: (b: EncodedBatch) => void }>()
  private nextId = 1
  private dead = false
  /** Forms that could not be serialized wait in the fallback encoder for the next flush. */
  private inline = false

  constructor(
    private readonly thread: EncoderThread,
    private readonly s: number,
    private readonly handover: Handover<T>,
    /** Encodes forms (not items) on the event loop: the thread's own table spec (threadTable). */
    private readonly fallback: RowEncoder<unknown>,
  ) {}

  get where(): 'thread' | 'inline' {
    return this.dead ? 'inline' : 'thread'
  }

  add(items: T[]): void {
    const forms = new Array<unknown>(items.length)
    for (let i = 0; i < items.length; i++) {
      forms[i] = this.handover.form(items[i]!)
      this.handover.release?.(items[i]!)
    }
    if (this.dead) return this.fallback.add(forms)
    let bytes: Buffer
    try {
      bytes = serialize(forms)
    } catch (err) {
      // Something in these forms cannot be serialized (it would be a bug in HANDOVER): they are encoded
      // inline at the next flush, like every batch was before the thread.
      logger.error('log rows could not be handed to the encoder thread: encoding them inline', { error: (err as Error).message })
      this.fallback.add(forms)
      this.inline = true
      return
    }
    this.thread.post({ t: 'add', s: this.s, bytes })
    this.unflushed.push(bytes)
  }

  async flush(): Promise<EncodedBatch> {
    if (this.dead) return this.fallback.flush()
    const inline = this.inline ? this.fallback.flush() : undefined
    this.inline = false
    // Nothing handed over since the last flush: nothing for the thread to answer (it may not even run yet).
    const threaded = this.unflushed.length === 0 ? undefined : this.ask()
    const [a, b] = await Promise.all([threaded, inline])
    if (!a || !b) return a ?? b ?? EMPTY
    return { chunks: [...a.chunks, ...b.chunks], dropped: a.dropped + b.dropped, errors: [...a.errors, ...b.errors] }
  }

  private ask(): Promise<EncodedBatch> {
    const id = this.nextId++
    const sent = this.unflushed
    this.unflushed = []
    return new Promise((resolve) => {
      this.waiting.set(id, { sent, resolve })
      this.thread.post({ t: 'flush', s: this.s, id })
    })
  }

  answered(id: number, batch: EncodedBatch): void {
    const w = this.waiting.get(id)
    if (!w) return
    this.waiting.delete(id)
    w.resolve(batch)
  }

  /** The thread is gone: what it held is encoded inline, and so is everything after. */
  failover(): void {
    this.dead = true
    const back = (sent: Buffer[]) => sent.flatMap((b) => deserialize(b) as unknown[])
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id)
      this.fallback.add(back(w.sent))
      void this.fallback.flush().then(w.resolve)
    }
    this.fallback.add(back(this.unflushed))
    this.unflushed = []
  }

  close(): void {
    this.thread.release(this.s)
    this.fallback.close()
  }
}

let shared: EncoderThread | undefined

/** The process's encoder thread, started on first use (and again after the last writer closed it). */
export function sharedEncoderThread(where: EncoderThreadFile): EncoderThread {
  if (!shared?.alive) shared = new EncoderThread(where)
  return shared
}
