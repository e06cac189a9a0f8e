import { resolve } from 'node:path'
import { Database } from './db/database'
import { PgDatabase } from './db/postgres/pg-database'
import type { SqlDb } from './db/sql-db'
import { applyConfigOnce } from './config/apply-once'
import { loadMasterKey } from './security/master-key'
import { ensureAdminKey, type AdminKeyState } from './security/admin-key'
import type { SecretBox } from './security/secret-box'
import { applyConfigFile, loadStoredConfig } from './db/config-repo'
import { parseConfigText, readConfigText } from './config/load-file'
import { logger, setLogInstance } from '../utils/logger'
import { setRowInstance } from './log/row-instance'
import { backfillKeyFingerprints } from './db/key-fingerprints'
import { RequestLogWriter } from './log/request-log-writer'
import { encoderThreadFile } from './log/encoding/encoder-thread'
import { buildSnapshot, type Snapshot } from '../gateway/routing/snapshot'
import { SignatureCache } from '../gateway/signature-cache'
import { Cluster } from './cluster/cluster'
import { getSetting } from './db/settings-repo'
import { loadKeyStates } from './db/key-state-repo'
import { KeyStatePersister } from './key-state-persister'
import { configTextHash, reapply as reapplyConfigFile, watchConfigFile } from './config/watcher'
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
import { seedPrices } from './db/price-repo'
import { presetPrices } from './log/preset-prices'

/** Everything the server holds for its lifetime, created once at boot. */
export interface AppState {
  settings: Settings
  /** The repositories' store (sql-db.ts), whichever engine. */
  db: SqlDb
  /** The same store as its engine's class: the log writers, the embedding cache and shutdown need it. */
  store: Database | PgDatabase
  /** The DuckDB file's own concerns (storage guard, checkpoints, recovery); null on PostgreSQL. */
  duck: Database | null
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
  /** This instance's name and, with NUXT_REDIS_URL, the state it shares with the others (services/cluster). */
  cluster: Cluster
}

let state: AppState | undefined
let ready: Promise<AppState> | undefined

/** The file followed for changes: NUXT_CONFIG_FILE, else ./rosetta.yaml, whether or not it exists yet. */
export function configFileToFollow(settings: Settings): string {
  return resolve(settings.configFile || 'rosetta.yaml')
}

export async function bootApp(settings: Settings): Promise<AppState> {
  const cluster = new Cluster(settings)
  setLogInstance(cluster.instanceId)
  setRowInstance(cluster.instanceId)
  const followed = configFileToFollow(settings)
  // Read once: the text applied here is what the watcher compares later edits against.
  const text = readConfigText(followed)
  if (text === null && settings.configFile) logger.warn('configuration file not found: starting without it; it is applied when it appears', { file: followed })
  // Validate the file before touching the database: a bad file fails boot with the field path.
  const cfg = text === null ? undefined : parseConfigText(text, followed)
  const file = cfg ? followed : null
  // NUXT_DATABASE_URL: PostgreSQL, and nothing written locally (no DuckDB file, no master.key).
  const db = settings.databaseUrl ? await PgDatabase.open(settings.databaseUrl) : await Database.open(settings.dbPath, { minFreeMb: settings.dbMinFreeMb })
  const duck = db instanceof Database ? db : null
  if (duck?.recovery) await reportRecovery(duck)
  bootStepDone('database')
  // Instances booting at once on one PostgreSQL take turns through the steps that write at boot:
  // one generates the admin key, fills in fingerprints and applies rosetta.yaml; the others find it done.
  const oneAtATime = <T>(fn: () => Promise<T>) => (db instanceof PgDatabase ? db.withLock('boot', fn) : fn())
  let configError: AppState['configError'] = null
  const { box, adminKey } = await oneAtATime(async () => {
    const box = await loadMasterKey(db, duck?.path ?? null, settings.masterKey, settings.oldMasterKey)
    bootStepDone('master key')
    const adminKey = await ensureAdminKey(db, settings.adminKey)
    bootStepDone('admin key')
    // Backfilling writes: on a full disk it waits for a later boot (lookups fall back to name and mask).
    if (db.writable) await backfillKeyFingerprints(db, box)
    // On a full disk the file cannot be stored (and must not be tried: see StorageGuard): the boot goes
    // on with the configuration stored by the last boot, and the file is applied once space returns.
    if (cfg && db.writable) {
      // PostgreSQL: the shared rosetta.yaml is applied by the first instance that boots with this text.
      if (db instanceof PgDatabase) await applyConfigOnce(db, configTextHash(text)!, () => applyConfigFile(db, box, cfg))
      else await applyConfigFile(db, box, cfg)
    }
    return { box, adminKey }
  })
  if (cfg && duck && !duck.writable) {
    configError = { message: `${file} not applied: the data folder is out of space; serving the configuration stored before, the file is applied once space returns`, at: new Date().toISOString() }
    logger.error('rosetta.yaml not applied at boot: the data folder is out of space', { file, stored: 'serving the configuration stored before' })
    duck.guard.onChange((writable) => {
      if (writable && s.configError === configError) void reapplyConfigFile(file!)
    })
  }
  const snapshot = buildSnapshot(await loadStoredConfig(db, box), adminKey.hash)
  bootStepDone('configuration')
  const logWriter = new RequestLogWriter(db, settings.logQueueMax, undefined, encoderThreadFile(settings))
  const keyStates = cluster.stateStore()
  await loadKeyStates(db, keyStates)
  // After the stores that load shared state on connection, before the client-key usage is seeded.
  await cluster.connect()
  const sinks = new LogFanout()
  sinks.add(logWriter)
  const ops = new Ops(
    {
      snapshot: () => s.snapshot,
      logQueue: () => logWriter,
      storage: () => storageReading(s),
      providerUp: (id) => keyStates.providerUp(id),
      probeIntervalS: settings.probeIntervalS,
      cluster: () => cluster.health(),
      extensions: () => ({ plugins: s.plugins.report(), responseCache: { hits: s.responseCache.hits, misses: s.responseCache.misses, savedUsd: s.responseCache.savedUsd } }),
    },
    settings.version,
  )
  for (const sink of ops.sinks) sinks.add(sink)
  const embeddingCache = await EmbeddingCache.open(db, { enabled: settings.embedCache, ttlHours: settings.embedCacheTtlH, maxRows: settings.embedCacheMaxRows })
  // Preset models' published prices join the price table (never over an operator's price); before
  // the request log reads the table. A full disk skips it until a later boot.
  if (db.writable) await seedPrices(db, presetPrices())
  const responseCache = await ResponseCache.open(db, { enabled: settings.responseCache, maxBytes: Math.round(settings.responseCacheMaxMb * 1024 * 1024) })
  const plugins = await loadPlugins(settings.pluginsDir)
  const requestLog = await RequestLog.open(db, settings, sinks)
  bootStepDone('log writers')
  const s: AppState = {
    settings,
    db,
    store: db,
    duck,
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
    modelCatalog: new ModelCatalog(undefined, undefined, cluster.modelLists()),
    requestLog,
    cluster,
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
  if (s.security) cluster.shareSecurity(s.security)
  cluster.shareProbes(ops.probe)
  cluster.shareSignatures(s.gateway.signatures)
  cluster.onConfigChanged(() => reloadFromDatabase(s))
  cluster.onPluginsReloaded(() => reloadPlugins())
  // Published last: /health answers 200 from this moment, so everything above must be in place.
  state = s
  return s
}

/** The data folder and the writes into it, for /metrics. */
export function storageReading(s: AppState): StorageReading {
  const bodies = s.requestLog.bodies
  return {
    writable: s.duck?.guard.writable ?? true,
    freeBytes: s.duck?.guard.freeBytes ?? null,
    failedWrites: s.logWriter.failedWrites + (bodies?.failedWrites ?? 0),
    bodiesDropped: bodies?.dropped ?? 0,
    checkpointFailures: s.duck?.checkpointer.stats.failures ?? 0,
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

/**
 * Rebuilds the snapshot from the database after a change made here; requests in flight keep the one
 * they started with. The other instances hear of it and rebuild theirs (cluster mode).
 */
export async function reloadSnapshot(): Promise<void> {
  if (!state) return
  state.snapshot = buildSnapshot(await loadStoredConfig(state.db, state.box), state.adminKey.hash)
  state.cluster.configChanged()
}

/** Another instance changed the configuration (or the admin key): read both again, publish nothing. */
async function reloadFromDatabase(s: AppState): Promise<void> {
  if (!s.adminKey.fromEnv) {
    const hash = await getSetting(s.db, 'admin_key_hash')
    if (hash && hash !== s.adminKey.hash) s.adminKey = { hash, fromEnv: false }
  }
  s.snapshot = buildSnapshot(await loadStoredConfig(s.db, s.box), s.adminKey.hash)
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
  await s.cluster.close()
  s.configWatcher?.close()
  await s.embeddingCache.close()
  await s.responseCache.close()
  await s.requestLog.close()
  await s.logWriter.close()
  await s.keyStatePersister?.close().catch((e) => logger.error('key states not saved at shutdown', { error: (e as Error).message }))
  if (s.duck) {
    await s.duck.checkpointer.close()
    s.duck.close()
  } else if (s.store instanceof PgDatabase) await s.store.close()
}
