import type { Database } from './database'
import type { ConfigFile, ProviderConfig } from '../../../shared/schemas/config-file'
import type { SecretBox } from '../security/secret-box'
import { hashKey, maskSecret } from '../security/hashing'
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
    headers: Record<string, string>
    timeoutMs: number
    enabled: boolean
    source: string
    capabilities: string[] | null
    keys: Array<{ id: number; key: string; hash: string; hint: string; weight: number; maxConcurrency: number | null; enabled: boolean }>
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
  capabilities?: string[]
}

const FILE = 'file'

/**
 * Replaces everything the file owns with what it now declares, in one transaction. Entries made in
 * the UI/CLI (source 'db') are left alone; a file entry with the same name takes the name over.
 */
export async function applyConfigFile(db: Database, box: SecretBox, cfg: ConfigFile): Promise<void> {
  await db.transaction(async () => {
    for (const t of ['provider_keys', 'providers', 'model_entries', 'routes', 'client_keys']) {
      await db.run(`DELETE FROM ${t} WHERE source = '${FILE}'`)
    }
    for (const [pos, p] of cfg.providers.entries()) {
      await db.run('DELETE FROM provider_keys WHERE provider_id = $1', [p.id])
      await db.run('DELETE FROM providers WHERE id = $1', [p.id])
      await db.run(
        `INSERT INTO providers (id, type, base_url, key_strategy, auth_header, auth_template, headers, timeout_ms, enabled, source, position, capabilities)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '${FILE}', $10, $11)`,
        [p.id, p.type, p.base_url ?? null, p.key_strategy, p.auth?.header ?? null, p.auth?.template ?? null, JSON.stringify(p.headers), p.timeout_ms, p.enabled, pos, p.capabilities ? JSON.stringify(p.capabilities) : null],
      )
      for (const [kpos, k] of p.keys.entries()) {
        const o = typeof k === 'string' ? { key: k, weight: 1, enabled: true, max_concurrency: undefined, name: undefined } : k
        await db.run(
          `INSERT INTO provider_keys (provider_id, name, key_cipher, key_hash, key_hint, weight, max_concurrency, enabled, source, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '${FILE}', $9)`,
          [p.id, o.name ?? null, box.encrypt(o.key), hashKey(o.key), maskSecret(o.key), o.weight, o.max_concurrency ?? null, o.enabled, kpos],
        )
      }
    }
    for (const [pos, m] of cfg.models.entries()) {
      await db.run('DELETE FROM model_entries WHERE name = $1', [m.name])
      await db.run(
        `INSERT INTO model_entries (name, targets, fallbacks, enabled, source, position) VALUES ($1, $2, $3, $4, '${FILE}', $5)`,
        [m.name, JSON.stringify(m.targets), JSON.stringify(m.fallbacks), m.enabled, pos],
      )
    }
    for (const [pos, r] of cfg.routes.entries()) {
      const [matchType, pattern] = Object.entries(r.match)[0] as [string, string]
      await db.run('DELETE FROM routes WHERE name = $1', [r.name])
      await db.run(
        `INSERT INTO routes (name, match_type, pattern, provider_id, model_template, priority, enabled, source, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, '${FILE}', $8)`,
        [r.name, matchType, pattern, r.provider, r.model, r.priority, r.enabled, pos],
      )
    }
    for (const c of cfg.client_keys) {
      if (!c.key) continue // declared without a key: created with the CLI, which keeps the secret
      await db.run('DELETE FROM client_keys WHERE name = $1 OR key_hash = $2', [c.name, hashKey(c.key)])
      await db.run(
        `INSERT INTO client_keys (name, key_hash, key_hint, models, rpm, enabled, source) VALUES ($1, $2, $3, $4, $5, $6, '${FILE}')`,
        [c.name, hashKey(c.key), maskSecret(c.key), c.models ? JSON.stringify(c.models) : null, c.rpm ?? null, c.enabled],
      )
    }
    await db.run(
      `INSERT INTO settings (key, value) VALUES ('default_provider', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
      [cfg.default_provider ?? ''],
    )
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
