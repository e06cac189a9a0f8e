import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { Database } from './db/database'
import { loadMasterKey } from './security/master-key'
import { ensureAdminKey, type AdminKeyState } from './security/admin-key'
import type { SecretBox } from './security/secret-box'
import { applyConfigFile, loadStoredConfig } from './db/config-repo'
import { loadConfigFile } from './config/load-file'
import { RequestLogWriter } from './log/request-log-writer'
import { buildSnapshot, type Snapshot } from '../gateway/routing/snapshot'
import { SignatureCache } from '../gateway/signature-cache'
import { MemoryStateStore } from '../gateway/pool/state-store'
import { circuitSuccess } from '../gateway/pool/circuit'
import { loadKeyStates } from './db/key-state-repo'
import { KeyStatePersister } from './key-state-persister'
import { watchConfigFile } from './config/watcher'
import type { FSWatcher } from 'node:fs'
import type { GatewayRuntime } from '../gateway/door'
import { LogFanout } from '../gateway/log-entry'
import type { Settings } from '../utils/settings'
import { Ops } from './ops/ops'
import { EmbeddingCache } from './embedding-cache'
import { ModelCatalog } from './model-catalog'
import { RequestLog } from './log/request-log'
import type { SecurityState } from './security/security-state'
import { installSecurity } from './security/install'

/** Everything the server holds for its lifetime, created once at boot. */
export interface AppState {
  settings: Settings
  db: Database
  box: SecretBox
  adminKey: AdminKeyState
  logWriter: RequestLogWriter
  keyStatePersister?: KeyStatePersister
  configWatcher?: FSWatcher
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
  /** The providers' own model lists, fetched and cached for the /models endpoints. */
  modelCatalog: ModelCatalog
  /** Bodies, prices, retention and the log's read connection (server/services/log/request-log.ts). */
  requestLog: RequestLog
  /** Admin tokens, sessions, login guard, client-key usage, audit (server/services/security). */
  security?: SecurityState
}

let state: AppState | undefined
let ready: Promise<AppState> | undefined

export function configFilePath(settings: Settings): string | null {
  if (settings.configFile) return resolve(settings.configFile)
  const dflt = resolve('rosetta.yaml')
  return existsSync(dflt) ? dflt : null
}

export async function bootApp(settings: Settings): Promise<AppState> {
  const file = configFilePath(settings)
  // Validate the file before touching the database: a bad file fails boot with the field path.
  const cfg = file ? loadConfigFile(file) : undefined
  const db = await Database.open(settings.dbPath)
  const box = await loadMasterKey(db, settings.masterKey, settings.oldMasterKey)
  const adminKey = await ensureAdminKey(db, settings.adminKey)
  if (cfg) await applyConfigFile(db, box, cfg)
  const snapshot = buildSnapshot(await loadStoredConfig(db, box), adminKey.hash)
  const logWriter = new RequestLogWriter(db, settings.logQueueMax)
  const keyStates = new MemoryStateStore()
  await loadKeyStates(db, keyStates)
  const sinks = new LogFanout()
  sinks.add(logWriter)
  const ops = new Ops(
    {
      snapshot: () => s.snapshot,
      logQueue: () => logWriter,
      providerUp: (id) => circuitSuccess(keyStates.circuit(id)),
      probeIntervalS: settings.probeIntervalS,
    },
    settings.version,
  )
  for (const sink of ops.sinks) sinks.add(sink)
  const embeddingCache = await EmbeddingCache.open(db, { enabled: settings.embedCache, ttlHours: settings.embedCacheTtlH, maxRows: settings.embedCacheMaxRows })
  const requestLog = await RequestLog.open(db, settings, sinks)
  const s: AppState = {
    settings,
    db,
    box,
    adminKey,
    logWriter,
    sinks,
    startedAt: new Date(),
    configFile: file,
    configLoadedAt: cfg ? new Date() : null,
    configError: null,
    snapshot,
    ops,
    embeddingCache,
    modelCatalog: new ModelCatalog(),
    requestLog,
    gateway: {
      embeddings: embeddingCache,
      snapshot: () => s.snapshot,
      log: sinks,
      signatures: new SignatureCache(),
      state: keyStates,
      delivery: { maxAttempts: settings.maxAttempts, deadlineMs: settings.deliveryDeadlineMs },
      maxBodyBytes: Math.round(settings.maxBodyMb * 1024 * 1024),
      gate: ops.mode.gate,
      logBodies: settings.logBodies,
      logBodyMaxBytes: settings.logBodyMaxKb * 1024,
      prices: requestLog.prices,
    },
  }
  s.keyStatePersister = new KeyStatePersister(db, keyStates, () => s.snapshot)
  if (file) s.configWatcher = watchConfigFile(file)
  await installSecurity(s)
  state = s
  return s
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

export async function stopApp(): Promise<void> {
  if (!state) return
  const s = state
  state = undefined
  s.ops.stop()
  s.configWatcher?.close()
  await s.embeddingCache.close()
  await s.requestLog.close()
  await s.logWriter.close()
  await s.keyStatePersister?.close()
  s.db.close()
}
