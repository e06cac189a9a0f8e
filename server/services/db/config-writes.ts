import type { Database } from './database'
import type { ClientKeyConfig, ModelEntryConfig, ProviderConfig, RouteConfig } from '../../../shared/schemas/config-file'
import type { SecretBox } from '../security/secret-box'
import { hashKey, maskSecret } from '../security/hashing'

/**
 * Writes of configuration entities, shared by the file loader (source 'file') and the admin API
 * (source 'db'). Each write replaces the entity of that name. Callers own the transaction.
 */
export type Source = 'file' | 'db'

type KeyInput = ProviderConfig['keys'][number]

export async function writeProvider(db: Database, box: SecretBox, p: ProviderConfig, source: Source, pos: number): Promise<void> {
  await db.run('DELETE FROM provider_keys WHERE provider_id = $1', [p.id])
  await db.run('DELETE FROM providers WHERE id = $1', [p.id])
  await db.run(
    `INSERT INTO providers (id, type, base_url, key_strategy, auth_header, auth_template, headers, timeout_ms, enabled, source, position, capabilities)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      p.id,
      p.type,
      p.base_url ?? null,
      p.key_strategy,
      p.auth?.header ?? null,
      p.auth?.template ?? null,
      JSON.stringify(p.headers),
      p.timeout_ms,
      p.enabled,
      source,
      pos,
      p.capabilities ? JSON.stringify(p.capabilities) : null,
    ],
  )
  await writeProviderKeys(db, box, p.id, p.keys, source)
}

/** Appends keys to a provider's pool (a key already in the pool is skipped, not duplicated). */
export async function writeProviderKeys(db: Database, box: SecretBox, providerId: string, keys: readonly KeyInput[], source: Source): Promise<number> {
  const existing = new Set((await db.all<{ key_hash: string }>('SELECT key_hash FROM provider_keys WHERE provider_id = $1', [providerId])).map((r) => r.key_hash))
  const maxPos = (await db.all<{ m: number | null }>('SELECT max(position) AS m FROM provider_keys WHERE provider_id = $1', [providerId]))[0]?.m ?? -1
  let added = 0
  for (const k of keys) {
    const o = typeof k === 'string' ? { key: k, weight: 1, enabled: true, max_concurrency: undefined, name: undefined } : k
    const h = hashKey(o.key)
    if (existing.has(h)) continue
    existing.add(h)
    await db.run(
      `INSERT INTO provider_keys (provider_id, name, key_cipher, key_hash, key_hint, weight, max_concurrency, enabled, source, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [providerId, o.name ?? null, box.encrypt(o.key), h, maskSecret(o.key), o.weight, o.max_concurrency ?? null, o.enabled, source, Number(maxPos) + 1 + added],
    )
    added++
  }
  return added
}

export async function writeModel(db: Database, m: ModelEntryConfig, source: Source, pos: number): Promise<void> {
  await db.run('DELETE FROM model_entries WHERE name = $1', [m.name])
  await db.run('INSERT INTO model_entries (name, targets, fallbacks, enabled, source, position) VALUES ($1, $2, $3, $4, $5, $6)', [
    m.name,
    JSON.stringify(m.targets),
    JSON.stringify(m.fallbacks),
    m.enabled,
    source,
    pos,
  ])
}

export async function writeRoute(db: Database, r: RouteConfig, source: Source, pos: number): Promise<void> {
  const [matchType, pattern] = Object.entries(r.match)[0] as [string, string]
  await db.run('DELETE FROM routes WHERE name = $1', [r.name])
  await db.run(
    'INSERT INTO routes (name, match_type, pattern, provider_id, model_template, priority, enabled, source, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    [r.name, matchType, pattern, r.provider, r.model, r.priority, r.enabled, source, pos],
  )
}

export async function writeClientKey(db: Database, c: ClientKeyConfig, key: string, source: Source): Promise<void> {
  await db.run('DELETE FROM client_keys WHERE name = $1 OR key_hash = $2', [c.name, hashKey(key)])
  await db.run('INSERT INTO client_keys (name, key_hash, key_hint, models, rpm, enabled, source) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    c.name,
    hashKey(key),
    maskSecret(key),
    c.models ? JSON.stringify(c.models) : null,
    c.rpm ?? null,
    c.enabled,
    source,
  ])
}

export async function writeDefaultProvider(db: Database, id: string | null): Promise<void> {
  await db.run(
    `INSERT INTO settings (key, value) VALUES ('default_provider', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
    [id ?? ''],
  )
}

const TABLE = { provider: ['providers', 'id'], model: ['model_entries', 'name'], route: ['routes', 'name'], key: ['provider_keys', 'id'] } as const

/** Who owns an entity: 'file' (read-only through the API), 'db', or undefined when it does not exist. */
export async function sourceOf(db: Database, kind: keyof typeof TABLE, name: string | number): Promise<Source | undefined> {
  const [table, col] = TABLE[kind]
  const rows = await db.all<{ source: Source }>(`SELECT source FROM ${table} WHERE ${col} = $1`, [name])
  return rows[0]?.source
}

export async function deleteEntity(db: Database, kind: keyof typeof TABLE, name: string | number): Promise<void> {
  const [table, col] = TABLE[kind]
  if (kind === 'provider') await db.run('DELETE FROM provider_keys WHERE provider_id = $1', [name])
  await db.run(`DELETE FROM ${table} WHERE ${col} = $1`, [name])
}

export async function nextPosition(db: Database, kind: 'provider' | 'model' | 'route'): Promise<number> {
  const [table] = TABLE[kind]
  const rows = await db.all<{ m: number | null }>(`SELECT max(position) AS m FROM ${table}`)
  return Number(rows[0]?.m ?? -1) + 1
}
