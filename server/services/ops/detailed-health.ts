import { workerIndex } from './workers'
import { stat } from 'node:fs/promises'
import { redactUrl } from '../db/postgres/pg-database'
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
  const worker = workerIndex()
  const duck = s.duck
  const file = !duck || duck.path === ':memory:' ? null : duck.path
  duck?.guard.check()
  // PostgreSQL: no local data folder to watch (the server's disk is its own business).
  const storage = duck ? duck.guard.health() : null
  const [db, sizeMb, walMb, disk] = await Promise.all([
    writeCheck(s),
    // PostgreSQL: the database's size as the server counts it.
    file ? fileMb(file) : duck ? null : s.requestLog.retention.usedMb().then((mb) => Math.round(mb * 10) / 10),
    file ? fileMb(`${file}.wal`) : null,
    ops.system.disk(file ? dirname(file) : null),
  ])
  const providers = ops.health.report(snap.providers.values())
  const down = providers.filter((p) => p.status === 'down').length
  const mode = ops.mode.get()
  const keysByProvider = Object.fromEntries([...snap.providers.values()].map((p) => [p.id, p.keys.length]))
  const bodies = s.requestLog.bodies
  // Writable means both: a real write went through, and the folder has room for the log to keep writing.
  const writable = db.writable && (storage?.writable ?? true)
  return {
    // Redis away is degraded, not down: requests flow on this instance's local state until it returns.
    status: !writable ? 'error' : down || mode.mode === 'maintenance' || s.cluster.degraded ? 'degraded' : 'ok',
    version: ops.version,
    instance: s.cluster.instanceId,
    // NUXT_WORKERS > 1: which forked worker answered (its stable index, its process id); else null.
    worker: worker === null ? null : { index: worker, pid: process.pid },
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
      engine: s.db.engine,
      // PostgreSQL: the URL without its password.
      path: duck ? duck.path : redactUrl(s.settings.databaseUrl),
      ...db,
      writable,
      error: db.error ?? (!storage || storage.writable ? null : `the data folder is out of space (${storage.freeMb} MB free, at least ${storage.minFreeMb} MB needed): the request log waits in memory, configuration is read-only`),
      // Why not writable: the disk (storage.writable false) or the write itself (error).
      storage,
      sizeMb,
      walSizeMb: walMb,
      logQueue: { depth: s.logWriter.depth, held: s.logWriter.held, dropped: s.logWriter.dropped, written: s.logWriter.written, failedWrites: s.logWriter.failedWrites, lastError: s.logWriter.lastError },
      bodyQueue: bodies ? { depth: bodies.depth, held: bodies.held, dropped: bodies.dropped, written: bodies.written, failedWrites: bodies.failedWrites, lastError: bodies.lastError } : null,
      checkpoints: duck?.checkpointer.stats ?? null,
      recovery: duck?.recovery ?? null,
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
    cluster: s.cluster.health(),
    // Issue 19: the response cache (entries, hit rate, saved cost) and every plugin with its failures.
    responseCache: await s.responseCache.stats(),
    plugins: { dir: s.settings.pluginsDir || null, loadErrors: s.plugins.loadErrors, list: s.plugins.report() },
  }
}
