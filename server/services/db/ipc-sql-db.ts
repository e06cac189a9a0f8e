import type { Engine, SqlDb, SqlValue } from './sql-db'

/*
 * The store seam over a process boundary: one process owns the database (`serveSqlDb`), others reach
 * it through `IpcSqlDb`, the same `SqlDb` every repository is written against. Meant for NUXT_WORKERS
 * on the embedded DuckDB (one process may open the file); the transport is anything that carries
 * JSON-safe messages both ways (a node:cluster IPC channel relayed by the primary; in tests a pair of
 * in-memory ends). Not wired into the boot yet: see docs/architecture.md (Workers).
 */

/** One end of a message channel. Messages must survive JSON (node's IPC serialisation). */
export interface IpcEnd {
  send(msg: SqlMessage): void
  onMessage(fn: (msg: SqlMessage) => void): void
}

type Op = 'all' | 'run' | 'begin' | 'commit' | 'rollback'

/** A parameter as it crosses: bigint has no JSON form, so it travels as its decimal text. */
type WireValue = string | number | boolean | null | { bigint: string }

export type SqlMessage =
  | { t: 'sql'; id: number; op: Op; sql?: string; params?: WireValue[]; tx?: number }
  | { t: 'sql-reply'; id: number; rows?: Array<Record<string, unknown>>; tx?: number; error?: string }

const toWire = (params: SqlValue[] = []): WireValue[] => params.map((p) => (typeof p === 'bigint' ? { bigint: p.toString() } : p))
const fromWire = (params: WireValue[] = []): SqlValue[] => params.map((p) => (p !== null && typeof p === 'object' ? BigInt(p.bigint) : p))

type Reply = SqlMessage & { t: 'sql-reply' }

/** The client's half of the channel: numbered requests, each settled by the owner's reply. */
class Caller {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (m: Reply) => void; reject: (e: Error) => void }>()

  constructor(private readonly end: IpcEnd) {
    end.onMessage((m) => {
      if (m.t !== 'sql-reply') return
      const p = this.pending.get(m.id)
      if (!p) return
      this.pending.delete(m.id)
      if (m.error !== undefined) p.reject(new Error(m.error))
      else p.resolve(m)
    })
  }

  call(op: Op, sql?: string, params?: SqlValue[], tx?: number): Promise<Reply> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.end.send({ t: 'sql', id, op, sql, params: toWire(params), tx })
    })
  }
}

/** The client side: every call is one message to the owner and one reply. */
export class IpcSqlDb implements SqlDb {
  private readonly caller: Caller

  constructor(
    end: IpcEnd | Caller,
    readonly engine: Engine,
    /** Writes are refused by the owner itself when its disk is full (its storage guard). */
    readonly writable = true,
    private readonly tx?: number,
  ) {
    this.caller = end instanceof Caller ? end : new Caller(end)
  }

  private call(op: Op, sql?: string, params?: SqlValue[], tx?: number): Promise<Reply> {
    return this.caller.call(op, sql, params, tx)
  }

  async all<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]> {
    return ((await this.call('all', sql, params, this.tx)).rows ?? []) as T[]
  }

  async run(sql: string, params?: SqlValue[]): Promise<void> {
    await this.call('run', sql, params, this.tx)
  }

  /** BEGIN on the owner, `fn` on a handle bound to that transaction, then COMMIT (ROLLBACK when `fn` throws). */
  async transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    if (this.tx !== undefined) return fn(this)
    const tx = (await this.call('begin')).tx!
    const handle = new IpcSqlDb(this.caller, this.engine, this.writable, tx)
    let result: T
    try {
      result = await fn(handle)
    } catch (e) {
      await this.call('rollback', undefined, undefined, tx).catch(() => undefined)
      throw e
    }
    await this.call('commit', undefined, undefined, tx)
    return result
  }
}

/** A transaction opened for a client: its statements arrive one by one until commit or rollback. */
interface OpenTx {
  next: (step: { op: Op; sql?: string; params?: SqlValue[]; reply: (m: Omit<Reply, 't' | 'id'>) => void }) => void
  timer: NodeJS.Timeout
}

const ROLLED_BACK = Symbol('rolled back')

/**
 * The owner side: answers one client's messages on `db`. A transaction is held open for the client
 * (DuckDB: the shared connection waits for it), so one left idle for `idleTxMs` — a client that died
 * mid-transaction — is rolled back. Returns `close`, which rolls back what the client left open.
 */
export function serveSqlDb(db: SqlDb, end: IpcEnd, idleTxMs = 10_000): { close: () => void } {
  const open = new Map<number, OpenTx>()
  let nextTx = 1
  const reply = (id: number, m: Omit<Reply, 't' | 'id'>) => end.send({ t: 'sql-reply', id, ...m })
  const fail = (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) })

  const begin = (id: number) => {
    const txId = nextTx++
    let committing: Parameters<OpenTx['next']>[0] | null = null
    const steps: Array<Parameters<OpenTx['next']>[0]> = []
    let wake: (() => void) | null = null
    const entry: OpenTx = {
      next: (step) => {
        steps.push(step)
        wake?.()
      },
      timer: setTimeout(() => undefined, 0),
    }
    const arm = () => {
      clearTimeout(entry.timer)
      entry.timer = setTimeout(() => entry.next({ op: 'rollback', reply: () => undefined }), idleTxMs)
    }
    open.set(txId, entry)
    let began = false
    void db.transaction(async (tx) => {
      began = true
      reply(id, { tx: txId })
      for (;;) {
        arm()
        while (!steps.length) await new Promise<void>((r) => (wake = r))
        const step = steps.shift()!
        if (step.op === 'commit') {
          committing = step
          return
        }
        if (step.op === 'rollback') {
          step.reply({})
          throw ROLLED_BACK
        }
        try {
          step.reply(step.op === 'all' ? { rows: await tx.all(step.sql!, step.params) } : (await tx.run(step.sql!, step.params), {}))
        } catch (e) {
          step.reply(fail(e))
        }
      }
    }).then(
      () => committing?.reply({}),
      (e) => {
        if (e === ROLLED_BACK) return
        // COMMIT failed (its caller hears it) or BEGIN did (the begin's caller does).
        if (committing) committing.reply(fail(e))
        else if (!began) reply(id, fail(e))
      },
    ).finally(() => {
      clearTimeout(entry.timer)
      open.delete(txId)
    })
  }

  end.onMessage((m) => {
    if (m.t !== 'sql') return
    const params = fromWire(m.params)
    if (m.op === 'begin') return begin(m.id)
    if (m.tx !== undefined) {
      const tx = open.get(m.tx)
      if (!tx) return reply(m.id, { error: `transaction ${m.tx} is no longer open (rolled back after ${idleTxMs} ms idle)` })
      return tx.next({ op: m.op, sql: m.sql, params, reply: (r) => reply(m.id, r) })
    }
    if (m.op === 'all') void db.all(m.sql!, params).then((rows) => reply(m.id, { rows }), (e) => reply(m.id, fail(e)))
    else if (m.op === 'run') void db.run(m.sql!, params).then(() => reply(m.id, {}), (e) => reply(m.id, fail(e)))
    else reply(m.id, { error: `${m.op} outside a transaction` })
  })

  return {
    close: () => {
      for (const tx of open.values()) tx.next({ op: 'rollback', reply: () => undefined })
    },
  }
}
