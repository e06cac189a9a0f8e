import type { SqlDb } from './db/sql-db'
import type { StateStore } from '../gateway/pool/state-store'
import type { Snapshot } from '../gateway/routing/snapshot'
import { saveKeyStates } from './db/key-state-repo'

/** Flushes changed key states to DuckDB every few seconds (never per request) and once at shutdown. */
export class KeyStatePersister {
  private timer: NodeJS.Timeout

  constructor(
    private readonly db: SqlDb,
    private readonly store: StateStore,
    private readonly snapshot: () => Snapshot,
    intervalMs = 5_000,
  ) {
    this.timer = setInterval(() => void this.flush().catch(() => {}), intervalMs)
    this.timer.unref()
  }

  async flush(): Promise<void> {
    // On a full disk the states stay marked dirty in memory and are saved once there is room.
    if (!this.db.writable) return
    const dirty = this.store.takeDirty()
    if (dirty.length === 0) return
    const owner = new Map<string, string>()
    for (const p of this.snapshot().providers.values()) for (const k of p.keys) owner.set(k.hash, p.id)
    await saveKeyStates(
      this.db,
      dirty.map(([hash, s]) => [hash, s, owner.get(hash) ?? ''] as [string, typeof s, string]),
    )
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    await this.flush()
  }
}
