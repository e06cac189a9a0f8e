import { resolve } from 'node:path'
import { Database } from './db/database'
import { loadMasterKey } from './security/master-key'
import { ensureAdminKey, type AdminKeyState } from './security/admin-key'
import type { SecretBox } from './security/secret-box'
import { applyConfigFile, loadStoredConfig } from './db/config-repo'
import { parseConfigText, readConfigText } from './config/load-file'
import { logger } from '../utils/logger'
import { backfillKeyFingerprints } from './db/key-fingerprints'
import { RequestLogWriter } from './log/request-log-writer'
import { buildSnapshot, type Snapshot } from '../gateway/routing/snapshot'
import { SignatureCache } from '../gateway/signature-cache'
import { MemoryStateStore } from '../gateway/pool/state-store'
import { loadKeyStates } from './db/key-state-repo'
import { KeyStatePersister } from './key-state-persister'
import { reapply as reapplyConfigFile, watchConfigFile } from './config/watcher'
import type { FileFollower } from './config/follow-file'
import type { GatewayRuntime } from '../gateway/door'
import type { StorageReading } from './ops/metrics'
import { LogFanout } from '../gateway/log-entry'
import type { Settings } from '../utils/settings'
import { Ops } from './ops/ops'
import { EmbeddingCache } from './embedding-cache'
import { ResponseCache } from './response-cache'
import { loadPlugins } from './plugins-loader'
import type { PluginRegistry } from '../gateway/plugins/registry'
import { ModelCatalog } from './model-catalog'
import { RequestLog } from './log/request-log'
import type { SecurityState } from './security/security-state'
import { installSecurity } from './security/install'
import { bootStepDone } from './boot-progress'
import { reportRecovery } from './db/recovery-report'

/** Everything the server holds for its lifetime, created once at boot. */
export interface AppState {
  settings: Settings
  db: Database
  box: SecretBox
  adminKey: AdminKeyState
  logWriter: RequestLogWriter
  keyStatePersister?: KeyStatePersister
  configWatcher?: FileFollower
  /** Add a sink here to see every finished request (metrics, monitors). */
  sinks: LogFanout
  gateway: GatewayRuntime
  startedAt: Date
  configFile: string | null
  configLoadedAt: Date | null
  /** The last rejected edit of rosetta.yaml (the running configuration stayed as it was). */
  configError: { message: string; at: string } | null
  snapshot: Snapshot
  /** Run mode, monitor, provider health, metrics (server/services/ops). */
  ops: Ops
  /** The embedding cache (hit/miss counters for stats). */
  embeddingCache: EmbeddingCache
  /** The exact response cache (issue 19). */
  responseCache: ResponseCache
  /** Built-in plugins and NUXT_PLUGINS_DIR's (issue 19); replaced on config reload. */
  plugins: PluginRegistry
  /** The providers' own model lists, fetched and cached for the /models endpoints. */
  modelCatalog: ModelCatalog
  /** Bodies, prices, retention and the log's read connection (server/services/log/request-log.ts). */
  requestLog: RequestLog
  /** Admin tokens, sessions, login guard, client-key usage, audit (server/services/security). */
  security?: SecurityState
}

let state: AppState | undefined
let ready: Promise<AppState> | undefined

/** The file followed for changes: NUXT_CONFIG_FILE, else ./rosetta.yaml, whether or not it exists yet. */
export function configFileToFollow(settings: Settings): string {
  return resolve(settings.configFile || 'rosetta.yaml')
}

export async function bootApp(settings: Settings): Promise<AppState> {
  const followed = configFileToFollow(settings)
  // Read once: the text applied here is what the watcher compares later edits against.
  const text = readConfigText(followed)
  if (text === null && settings.configFile) logger.warn('configuration file not found: starting without it; it is applied when it appears', { file: followed })
  // Validate the file before touching the database: a bad file fails boot with the field path.
  const cfg = text === null ? undefined : parseConfigText(text, followed)
  const file = cfg ? followed : null
  const db = await Database.open(settings.dbPath, { minFreeMb: settings.dbMinFreeMb })
  if (db.recovery) await reportRecovery(db)
  bootStepDone('database')
  const box = await loadMasterKey(db, settings.masterKey, settings.oldMasterKey)
  bootStepDone('master key')
  const adminKey = await ensureAdminKey(db, settings.adminKey)
  bootStepDone('admin key')
  // Backfilling writes: on a full disk it waits for a later boot (lookups fall back to name and mask).
  if (db.guard.writable) await backfillKeyFingerprints(db, box)
  // On a full disk the file cannot be stored (and must not be tried: see StorageGuard): the boot goes
  // on with the configuration stored by the last boot, and the file is applied once space returns.
  let configError: AppState['configError'] = null
  if (cfg) {
    if (db.guard.writable) await applyConfigFile(db, box, cfg)
    else {
      configError = { message: `${file} not applied: the data folder is out of space; serving the configuration stored before, the file is applied once space returns`, at: new Date().toISOString() }
      logger.error('rosetta.yaml not applied at boot: the data folder is out of space', { file, stored: 'serving the configuration stored before' })
      db.guard.onChange((writable) => {
        if (writable && s.configError === configError) void reapplyConfigFile(file!)
      })
    }
  }
  const snapshot = buildSnapshot(await loadStoredConfig(db, box), adminKey.hash)
  bootStepDone('configuration')
  const logWriter = new RequestLogWriter(db, settings.logQueueMax)
  const keyStates = new MemoryStateStore()
  await loadKeyStates(db, keyStates)
  const sinks = new LogFanout()
  sinks.add(logWriter)
  const ops = new Ops(
    {
      snapshot: () => s.snapshot,
      logQueue: () => logWriter,
      storage: () => storageReading(s),
      providerUp: (id) => keyStates.providerUp(id),
      probeIntervalS: settings.probeIntervalS,
      extensions: () => ({ plugins: s.plugins.report(), responseCache: { hits: s.responseCache.hits, misses: s.responseCache.misses, savedUsd: s.responseCache.savedUsd } }),
    },
    settings.version,
  )
  for (const sink of ops.sinks) sinks.add(sink)
  const embeddingCache = await EmbeddingCache.open(db, { enabled: settings.embedCache, ttlHours: settings.embedCacheTtlH, maxRows: settings.embedCacheMaxRows })
  const responseCache = await ResponseCache.open(db, { enabled: settings.responseCache, maxBytes: Math.round(settings.responseCacheMaxMb * 1024 * 1024) })
  const plugins = await loadPlugins(settings.pluginsDir)
  const requestLog = await RequestLog.open(db, settings, sinks)
  bootStepDone('log writers')
  const s: AppState = {
    settings,
    db,
    box,
    adminKey,
    logWriter,
    sinks,
    startedAt: new Date(),
    configFile: file,
    configLoadedAt: cfg && !configError ? new Date() : null,
    configError,
    snapshot,
    ops,
    embeddingCache,
    responseCache,
    plugins,
    modelCatalog: new ModelCatalog(),
    requestLog,
    gateway: {
      embeddings: embeddingCache,
      responseCache: responseCache.enabled ? responseCache : undefined,
      plugins,
      snapshot: () => s.snapshot,
      log: sinks,
      signatures: new SignatureCache(),
      state: keyStates,
      delivery: {
        maxAttempts: settings.maxAttempts,
        deadlineMs: settings.deliveryDeadlineMs,
        retryWaitMaxMs: settings.retryWaitMaxMs,
        streamIdleMs: settings.streamIdleTimeoutMs,
      },
      maxBodyBytes: Math.round(settings.maxBodyMb * 1024 * 1024),
      gate: ops.mode.gate,
      logBodies: settings.logBodies,
      logBodyMaxBytes: settings.logBodyMaxKb * 1024,
      prices: requestLog.prices,
    },
  }
  s.keyStatePersister = new KeyStatePersister(db, keyStates, () => s.snapshot)
  s.configWatcher = watchConfigFile(followed, text)
  await installSecurity(s)
  bootStepDone('admin tokens, sessions and client-key limits')
  // Published last: /health answers 200 from this moment, so everything above must be in place.
  state = s
  return s
}

/** The data folder and the writes into it, for /metrics. */
export function storageReading(s: AppState): StorageReading {
  const bodies = s.requestLog.bodies
  return {
    writable: s.db.guard.writable,
    freeBytes: s.db.guard.freeBytes,
    failedWrites: s.logWriter.failedWrites + (bodies?.failedWrites ?? 0),
    bodiesDropped: bodies?.dropped ?? 0,
    checkpointFailures: s.db.checkpointer.stats.failures,
  }
}

export function startApp(settings: Settings): Promise<AppState> {
  ready ??= bootApp(settings)
  return ready
}

/** Resolves once boot has finished (immediately afterwards). */
export function whenReady(): Promise<AppState> {
  if (!ready) throw new Error('the server has not started')
  return ready
}

export function appState(): AppState | undefined {
  return state
}

/** Rebuilds the snapshot from the database; requests in flight keep the one they started with. */
export async function reloadSnapshot(): Promise<void> {
  if (!state) return
  state.snapshot = buildSnapshot(await loadStoredConfig(state.db, state.box), state.adminKey.hash)
}

/** Loads NUXT_PLUGINS_DIR afresh (config reload); requests in flight keep the plugins they started with. */
export async function reloadPlugins(): Promise<void> {
  if (!state) return
  const s = state
  s.plugins = await loadPlugins(s.settings.pluginsDir, s.plugins)
  s.gateway.plugins = s.plugins
}

export async function stopApp(): Promise<void> {
  if (!state) return
  const s = state
  state = undefined
  s.ops.stop()
  s.configWatcher?.close()
  await s.embeddingCache.close()
  await s.responseCache.close()
  await s.requestLog.close()
  await s.logWriter.close()
  await s.keyStatePersister?.close().catch((e) => logger.error('key states not saved at shutdown', { error: (e as Error).message }))
  await s.db.checkpointer.close()
  s.db.close()
}
