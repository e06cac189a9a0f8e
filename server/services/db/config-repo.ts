import type { SqlDb } from './sql-db'
import type { ConfigFile, ProviderConfig, CAPABILITIES, CacheSettingConfig, PluginUseConfig } from '../../../shared/schemas/config-file'
import type { SecretBox } from '../security/secret-box'
import type { TransportOptions } from '../../gateway/providers'
import { applyFileDefaultProvider, clientKeyFromSecret, clientKeyRecord, deleteEntity, writeClientKey, writeModel, writeProvider, writeRoute } from './config-writes'
import { isMaskedSecret } from '../../../shared/schemas/config-file'
import { limitsOf, type ClientLimits } from '../../gateway/limits/client-limits'
import type { ClientKeyRecord } from './config-writes'
import { loadProviderPresets } from './provider-preset-repo'
import { clientKeyFields } from './client-keys-repo'
import { jsonColumn, type ClientKeysTableRow, type ModelEntriesTableRow, type ProviderKeysTableRow, type ProvidersTableRow, type RoutesTableRow } from './table-rows'

type Capability = (typeof CAPABILITIES)[number]

/** What the snapshot is built from: every configuration row, secrets decrypted into memory. */
export interface StoredConfig {
  providers: Array<{
    id: string
    type: ProviderConfig['type']
    baseUrl: string | null
    keyStrategy: string
    authHeader: string | null
    authTemplate: string | null
    position?: number
    headers: Record<string, string>
    timeoutMs: number
    enabled: boolean
    source: string
    capabilities: string[] | null
    /** The type's own settings (`api_version`, `project`, `location`, `region`); absent = none. */
    options?: TransportOptions
    /** The vendor preset it was made from (shared/presets), and its own quirk overrides (rosetta.yaml's snake_case). */
    preset?: string | null
    quirks?: ProviderConfig['quirks'] | null
    keys: Array<{ id: number; name: string | null; key: string; hash: string; hint: string; fingerprint: string; weight: number; maxConcurrency: number | null; enabled: boolean }>
  }>
  models: Array<{ name: string; targets: TargetRow[]; fallbacks: TargetRow[]; enabled: boolean; source: string } & StoredExtensions>
  routes: Array<{
    name: string
    matchType: 'exact' | 'prefix' | 'keyword' | 'regex'
    pattern: string
    providerId: string
    modelTemplate: string
    priority: number
    enabled: boolean
    position: number
    source: string
  } & StoredExtensions>
  clientKeys: Array<
    ClientKeyRecord & {
      source: string
      /** Compiled for the hot path. */
      limits?: ClientLimits
    }
  >
  defaultProvider: string | null
}

/** The response cache and plugins an entry declares (issue 19); null = not declared. */
export interface StoredExtensions {
  cache?: CacheSettingConfig | null
  plugins?: PluginUseConfig[] | null
}

const extensionsOf = (r: { cache: unknown; plugins: unknown }): StoredExtensions => ({
  cache: jsonColumn<CacheSettingConfig | null>(r.cache, null),
  plugins: jsonColumn<PluginUseConfig[] | null>(r.plugins, null),
})

export interface TargetRow {
  provider: string
  model: string
  weight: number
  capabilities?: Capability[]
}

const FILE = 'file'

/**
 * Makes the database hold what the file now declares, in one transaction: declared entries are
 * upserted by their identity (ids stay as they are), file-owned entries the file no longer declares
 * are removed. Entries made in the UI/CLI (source 'db') are left alone; a file entry with the same
 * name takes the name over.
 */
export async function applyConfigFile(db: SqlDb, box: SecretBox, cfg: ConfigFile): Promise<void> {
  // A client key needs its secret or its sha256; an entry with neither is not applied.
  const clientKeys = cfg.client_keys.filter((c) => (c.key && !isMaskedSecret(c.key)) || c.key_hash)
  await db.transaction(async (tx) => {
    const undeclared = async (table: string, col: string, kind: 'provider' | 'model' | 'route' | null, declared: string[]) => {
      const rows = await tx.all<{ k: string }>(`SELECT ${col} AS k FROM ${table} WHERE source = '${FILE}'`)
      for (const r of rows) {
        if (declared.includes(r.k)) continue
        if (kind) await deleteEntity(tx, kind, r.k)
        else await tx.run(`DELETE FROM ${table} WHERE ${col} = $1`, [r.k])
      }
    }
    await undeclared('routes', 'name', 'route', cfg.routes.map((r) => r.name))
    await undeclared('model_entries', 'name', 'model', cfg.models.map((m) => m.name))
    await undeclared('providers', 'id', 'provider', cfg.providers.map((p) => p.id))
    await undeclared('client_keys', 'name', null, clientKeys.map((c) => c.name))
    for (const [pos, p] of cfg.providers.entries()) await writeProvider(tx, box, p, FILE, pos)
    for (const [pos, m] of cfg.models.entries()) await writeModel(tx, m, FILE, pos)
    for (const [pos, r] of cfg.routes.entries()) await writeRoute(tx, r, FILE, pos)
    for (const c of clientKeys) {
      const rec = c.key && !isMaskedSecret(c.key) ? clientKeyFromSecret(c, c.key) : clientKeyRecord(c, c.key_hash!, c.key ?? '…')
      await writeClientKey(tx, rec, FILE)
    }
    await applyFileDefaultProvider(tx, cfg.default_provider)
  })
}

export async function loadStoredConfig(db: SqlDb, box: SecretBox): Promise<StoredConfig> {
  const providers = await db.all<ProvidersTableRow>('SELECT * FROM providers ORDER BY position, id')
  const keys = await db.all<ProviderKeysTableRow>('SELECT * FROM provider_keys ORDER BY position, id')
  const models = await db.all<ModelEntriesTableRow>('SELECT * FROM model_entries ORDER BY position, name')
  const routes = await db.all<RoutesTableRow>('SELECT * FROM routes ORDER BY position, name')
  const clientKeys = await db.all<ClientKeysTableRow>('SELECT * FROM client_keys ORDER BY name')
  const dp = await db.all<{ value: string }>("SELECT value FROM settings WHERE key = 'default_provider'")
  const presets = await loadProviderPresets(db)
  return {
    providers: providers.map((p) => ({
      id: p.id,
      type: p.type as ProviderConfig['type'],
      baseUrl: p.base_url,
      keyStrategy: p.key_strategy,
      authHeader: p.auth_header,
      authTemplate: p.auth_template,
      headers: jsonColumn<Record<string, string>>(p.headers, {}),
      timeoutMs: Number(p.timeout_ms),
      enabled: p.enabled,
      source: p.source,
      capabilities: jsonColumn<string[] | null>(p.capabilities, null),
      options: jsonColumn<TransportOptions>(p.options, {}),
      preset: presets.get(p.id)?.preset ?? null,
      quirks: presets.get(p.id)?.quirks ?? null,
      keys: keys
        .filter((k) => k.provider_id === p.id)
        .map((k) => ({
          id: Number(k.id),
          name: k.name,
          key: box.decrypt(k.key_cipher),
          hash: k.key_hash,
          hint: k.key_hint,
          fingerprint: k.fingerprint ?? box.keyFingerprint(box.decrypt(k.key_cipher)),
          weight: Number(k.weight),
          maxConcurrency: k.max_concurrency === null ? null : Number(k.max_concurrency),
          enabled: k.enabled,
        })),
    })),
    models: models.map((m) => ({
      name: m.name,
      targets: jsonColumn<TargetRow[]>(m.targets, []),
      fallbacks: jsonColumn<TargetRow[]>(m.fallbacks, []),
      enabled: m.enabled,
      source: m.source,
      ...extensionsOf(m),
    })),
    routes: routes.map((r) => ({
      name: r.name,
      matchType: r.match_type,
      pattern: r.pattern,
      providerId: r.provider_id,
      modelTemplate: r.model_template,
      priority: Number(r.priority),
      enabled: r.enabled,
      position: Number(r.position),
      source: r.source,
      ...extensionsOf(r),
    })),
    clientKeys: clientKeys.map((c) => ({ ...clientKeyFields(c), keyHash: c.key_hash, limits: limitsOf(c) })),
    defaultProvider: dp[0]?.value || null,
  }
}
