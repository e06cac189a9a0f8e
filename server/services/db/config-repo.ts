import type { Database } from './database'
import type { ConfigFile, ProviderConfig, CAPABILITIES } from '../../../shared/schemas/config-file'

type Capability = (typeof CAPABILITIES)[number]
import type { SecretBox } from '../security/secret-box'
import { writeClientKey, writeDefaultProvider, writeModel, writeProvider, writeRoute } from './config-writes'
import { limitsOf, type ClientLimits } from '../../gateway/limits/client-limits'

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
    keys: Array<{ id: number; name: string | null; key: string; hash: string; hint: string; weight: number; maxConcurrency: number | null; enabled: boolean }>
  }>
  models: Array<{ name: string; targets: TargetRow[]; fallbacks: TargetRow[]; enabled: boolean; source: string }>
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
  }>
  clientKeys: Array<{ name: string; keyHash: string; models: string[] | null; rpm: number | null; enabled: boolean; limits?: ClientLimits }>
  defaultProvider: string | null
}

export interface TargetRow {
  provider: string
  model: string
  weight: number
  capabilities?: Capability[]
}

const FILE = 'file'

/**
 * Replaces everything the file owns with what it now declares, in one transaction. Entries made in
 * the UI/CLI (source 'db') are left alone; a file entry with the same name takes the name over.
 */
export async function applyConfigFile(db: Database, box: SecretBox, cfg: ConfigFile): Promise<void> {
  await db.transaction(async (tx) => {
    for (const t of ['provider_keys', 'providers', 'model_entries', 'routes', 'client_keys']) {
      await tx.run(`DELETE FROM ${t} WHERE source = '${FILE}'`)
    }
    for (const [pos, p] of cfg.providers.entries()) await writeProvider(tx, box, p, FILE, pos)
    for (const [pos, m] of cfg.models.entries()) await writeModel(tx, m, FILE, pos)
    for (const [pos, r] of cfg.routes.entries()) await writeRoute(tx, r, FILE, pos)
    for (const c of cfg.client_keys) if (c.key) await writeClientKey(tx, c, c.key, FILE)
    await writeDefaultProvider(tx, cfg.default_provider ?? null)
  })
}

const parseJson = <T>(v: unknown, fallback: T): T => (typeof v === 'string' ? (JSON.parse(v) as T) : ((v as T) ?? fallback))

export async function loadStoredConfig(db: Database, box: SecretBox): Promise<StoredConfig> {
  const providers = await db.all<any>('SELECT * FROM providers ORDER BY position, id')
  const keys = await db.all<any>('SELECT * FROM provider_keys ORDER BY position, id')
  const models = await db.all<any>('SELECT * FROM model_entries ORDER BY position, name')
  const routes = await db.all<any>('SELECT * FROM routes ORDER BY position, name')
  const clientKeys = await db.all<any>('SELECT * FROM client_keys ORDER BY name')
  const dp = await db.all<{ value: string }>("SELECT value FROM settings WHERE key = 'default_provider'")
  return {
    providers: providers.map((p) => ({
      id: p.id,
      type: p.type,
      baseUrl: p.base_url,
      keyStrategy: p.key_strategy,
      authHeader: p.auth_header,
      authTemplate: p.auth_template,
      headers: parseJson(p.headers, {}),
      timeoutMs: Number(p.timeout_ms),
      enabled: p.enabled,
      source: p.source,
      capabilities: parseJson(p.capabilities, null),
      keys: keys
        .filter((k) => k.provider_id === p.id)
        .map((k) => ({
          id: Number(k.id),
          name: k.name,
          key: box.decrypt(k.key_cipher),
          hash: k.key_hash,
          hint: k.key_hint,
          weight: Number(k.weight),
          maxConcurrency: k.max_concurrency === null ? null : Number(k.max_concurrency),
          enabled: k.enabled,
        })),
    })),
    models: models.map((m) => ({ name: m.name, targets: parseJson(m.targets, []), fallbacks: parseJson(m.fallbacks, []), enabled: m.enabled, source: m.source })),
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
    })),
    clientKeys: clientKeys.map((c) => ({ name: c.name, keyHash: c.key_hash, models: parseJson(c.models, null), rpm: c.rpm === null ? null : Number(c.rpm), enabled: c.enabled, limits: limitsOf(c) })),
    defaultProvider: dp[0]?.value || null,
  }
}
