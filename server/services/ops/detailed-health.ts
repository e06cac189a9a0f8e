import { stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { AppState } from '../app-state'
import { setSetting } from '../db/settings-repo'

const MB = 1024 * 1024

async function fileMb(path: string): Promise<number | null> {
  try {
    return Math.round(((await stat(path)).size / MB) * 100) / 100
  } catch {
    return null
  }
}

/** A real write (one upsert into `settings`) proves the file is writable, not just open. */
async function writeCheck(s: AppState): Promise<{ writable: boolean; writeMs: number; error: string | null }> {
  const t0 = performance.now()
  try {
    await setSetting(s.db, 'ops.health_probe', new Date().toISOString())
    return { writable: true, writeMs: Math.round((performance.now() - t0) * 10) / 10, error: null }
  } catch (e) {
    return { writable: false, writeMs: Math.round(performance.now() - t0), error: (e as Error).message }
  }
}

/** The document behind GET /health/detailed (admin). */
export async function detailedHealth(s: AppState) {
  const { ops, snapshot: snap } = s
  const file = s.db.path === ':memory:' ? null : s.db.path
  s.db.guard.check()
  const storage = s.db.guard.health()
  const [db, sizeMb, walMb, disk] = await Promise.all([
    writeCheck(s),
    file ? fileMb(file) : null,
    file ? fileMb(`${file}.wal`) : null,
    ops.system.disk(file ? dirname(file) : null),
  ])
  const providers = ops.health.report(snap.providers.values())
  const down = providers.filter((p) => p.status === 'down').length
  const mode = ops.mode.get()
  const keysByProvider = Object.fromEntries([...snap.providers.values()].map((p) => [p.id, p.keys.length]))
  const bodies = s.requestLog.bodies
  // Writable means both: a real write went through, and the folder has room for the log to keep writing.
  const writable = db.writable && storage.writable
  return {
    status: !writable ? 'error' : down || mode.mode === 'maintenance' ? 'degraded' : 'ok',
    version: ops.version,
    mode,
    startedAt: s.startedAt.toISOString(),
    uptimeSeconds: Math.round((Date.now() - s.startedAt.getTime()) / 1000),
    config: {
      source: s.configFile ? 'file' : 'database',
      file: s.configFile,
      loadedAt: s.configLoadedAt?.toISOString() ?? null,
      lastError: s.configError,
      snapshotVersion: snap.version,
    },
    database: {
      path: s.db.path,
      ...db,
      writable,
      error: db.error ?? (storage.writable ? null : `the data folder is out of space (${storage.freeMb} MB free, at least ${storage.minFreeMb} MB needed): the request log waits in memory, configuration is read-only`),
      // Why not writable: the disk (storage.writable false) or the write itself (error).
      storage,
      sizeMb,
      walSizeMb: walMb,
      logQueue: { depth: s.logWriter.depth, dropped: s.logWriter.dropped, written: s.logWriter.written, failedWrites: s.logWriter.failedWrites, lastError: s.logWriter.lastError },
      bodyQueue: bodies ? { depth: bodies.depth, dropped: bodies.dropped, written: bodies.written, failedWrites: bodies.failedWrites, lastError: bodies.lastError } : null,
      checkpoints: s.db.checkpointer.stats,
      recovery: s.db.recovery,
    },
    providers,
    keys: {
      upstream: Object.values(keysByProvider).reduce((a, b) => a + b, 0),
      byProvider: keysByProvider,
      clientKeys: snap.clientKeys.size,
    },
    models: snap.models.size,
    routes: snap.routes.length,
    memory: ops.system.memory(),
    cpu: ops.system.cpu(),
    eventLoop: ops.system.eventLoop(),
    disk,
    monitor: ops.monitor.snapshot(),
    embeddingCache: s.embeddingCache.stats(),
    // Issue 19: the response cache (entries, hit rate, saved cost) and every plugin with its failures.
    responseCache: await s.responseCache.stats(),
    plugins: { dir: s.settings.pluginsDir || null, loadErrors: s.plugins.loadErrors, list: s.plugins.report() },
  }
}
