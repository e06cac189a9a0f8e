import type { SqlDb } from './sql-db'
import type { ClientKeyConfig, ExtensionConfig, ModelEntryConfig, ProviderConfig, RouteConfig } from '../../../shared/schemas/config-file'
import type { SecretBox } from '../security/secret-box'
import type { TransportOptions } from '../../gateway/providers'
import { PROVIDER_OPTIONS } from '../../../shared/schemas/config-file'
import { hashKey, maskSecret } from '../security/hashing'
import { deleteProviderPreset, writeProviderPreset } from './provider-preset-repo'

/**
 * Writes of configuration entities, shared by the file loader (source 'file') and the admin API
 * (source 'db'). Every write is an upsert by the entity's stable identity (provider id, model,
 * route and client-key name; an upstream key by its secret within its pool), so ids survive edits,
 * config reloads and restarts: `keys disable 6` still means the same key, and the request log's
 * key_id keeps grouping one key as one. Callers own the transaction.
 */
export type Source = 'file' | 'db'

type KeyInput = ProviderConfig['keys'][number]

const keyInput = (k: KeyInput) => (typeof k === 'string' ? { key: k, weight: 1, enabled: true, max_concurrency: undefined, name: undefined } : k)

async function exists(db: SqlDb, table: string, col: string, value: string): Promise<boolean> {
  return (await db.all(`SELECT 1 FROM ${table} WHERE ${col} = $1`, [value])).length > 0
}

/** The type's own settings of a provider as stored (the `options` column): only those set. */
export function providerOptions(p: ProviderConfig): TransportOptions {
  const out: TransportOptions = {}
  for (const o of PROVIDER_OPTIONS) if (p[o] !== undefined) out[o] = p[o]
  return out
}

/**
 * Creates or updates a provider. `pos` undefined keeps an existing provider's place (a new one goes
 * last). Its pool becomes exactly `p.keys` unless `keepKeys`.
 */
export async function writeProvider(db: SqlDb, box: SecretBox, p: ProviderConfig, source: Source, pos?: number, opts: { keepKeys?: boolean } = {}): Promise<void> {
  const values = [
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
    pos ?? null,
    p.capabilities ? JSON.stringify(p.capabilities) : null,
    JSON.stringify(providerOptions(p)),
  ]
  if (await exists(db, 'providers', 'id', p.id)) {
    await db.run(
      `UPDATE providers SET type = $2, base_url = $3, key_strategy = $4, auth_header = $5, auth_template = $6, headers = $7, timeout_ms = $8,
         enabled = $9, source = $10, position = coalesce($11, position), capabilities = $12, options = $13 WHERE id = $1`,
      values,
    )
  } else {
    values[10] = pos ?? (await nextPosition(db, 'provider'))
    await db.run(
      `INSERT INTO providers (id, type, base_url, key_strategy, auth_header, auth_template, headers, timeout_ms, enabled, source, position, capabilities, options)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      values,
    )
  }
  await writeProviderPreset(db, p)
  if (!opts.keepKeys) await syncProviderKeys(db, box, p.id, p.keys, source)
}

async function insertKey(db: SqlDb, box: SecretBox, providerId: string, o: ReturnType<typeof keyInput>, source: Source, pos: number): Promise<void> {
  await db.run(
    `INSERT INTO provider_keys (provider_id, name, key_cipher, key_hash, key_hint, fingerprint, weight, max_concurrency, enabled, source, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [providerId, o.name ?? null, box.encrypt(o.key), hashKey(o.key), maskSecret(o.key), box.keyFingerprint(o.key), o.weight, o.max_concurrency ?? null, o.enabled, source, pos],
  )
}

/** The keys given, normalised, each secret once (its first listing wins) and none whose hash is in `skip`; with its hash. */
function* distinctKeys(keys: readonly KeyInput[], skip = new Set<string>()): Generator<{ o: ReturnType<typeof keyInput>; h: string }> {
  for (const k of keys) {
    const o = keyInput(k)
    const h = hashKey(o.key)
    if (skip.has(h)) continue
    skip.add(h)
    yield { o, h }
  }
}

/**
 * Makes a pool exactly `keys`, in that order: a key already in the pool (the same secret) is
 * updated in place and keeps its id; new keys are inserted; keys no longer listed are removed.
 */
export async function syncProviderKeys(db: SqlDb, box: SecretBox, providerId: string, keys: readonly KeyInput[], source: Source): Promise<void> {
  const rows = await db.all<{ id: number; key_hash: string }>('SELECT id, key_hash FROM provider_keys WHERE provider_id = $1 ORDER BY position, id', [providerId])
  const byHash = new Map<string, number>()
  for (const r of rows) if (!byHash.has(r.key_hash)) byHash.set(r.key_hash, Number(r.id))
  const kept = new Set<number>()
  let pos = 0
  for (const { o, h } of distinctKeys(keys)) {
    const id = byHash.get(h)
    if (id === undefined) await insertKey(db, box, providerId, o, source, pos)
    else {
      kept.add(id)
      await db.run('UPDATE provider_keys SET name = $2, weight = $3, max_concurrency = $4, enabled = $5, source = $6, position = $7 WHERE id = $1', [
        id,
        o.name ?? null,
        o.weight,
        o.max_concurrency ?? null,
        o.enabled,
        source,
        pos,
      ])
    }
    pos++
  }
  for (const r of rows) if (!kept.has(Number(r.id))) await db.run('DELETE FROM provider_keys WHERE id = $1', [Number(r.id)])
}

/** Appends keys to a provider's pool (a key already in the pool is skipped, not duplicated). */
export async function writeProviderKeys(db: SqlDb, box: SecretBox, providerId: string, keys: readonly KeyInput[], source: Source): Promise<number> {
  const existing = new Set((await db.all<{ key_hash: string }>('SELECT key_hash FROM provider_keys WHERE provider_id = $1', [providerId])).map((r) => r.key_hash))
  const maxPos = (await db.all<{ m: number | null }>('SELECT max(position) AS m FROM provider_keys WHERE provider_id = $1', [providerId]))[0]?.m ?? -1
  let added = 0
  for (const { o } of distinctKeys(keys, existing)) {
    await insertKey(db, box, providerId, o, source, Number(maxPos) + 1 + added)
    added++
  }
  return added
}

/** The cache and plugins columns of an entry (issue 19): JSON as declared, NULL when not declared. */
export function extensionColumns(e: ExtensionConfig): [string | null, string | null] {
  return [e.cache ? JSON.stringify(e.cache) : null, e.plugins?.length ? JSON.stringify(e.plugins) : null]
}

/** Creates or updates a model entry; `pos` undefined keeps its place (a new one goes last). */
export async function writeModel(db: SqlDb, m: ModelEntryConfig, source: Source, pos?: number): Promise<void> {
  const values = [m.name, JSON.stringify(m.targets), JSON.stringify(m.fallbacks), m.enabled, source, pos ?? null, ...extensionColumns(m)]
  if (await exists(db, 'model_entries', 'name', m.name))
    await db.run(
      'UPDATE model_entries SET targets = $2, fallbacks = $3, enabled = $4, source = $5, position = coalesce($6, position), cache = $7, plugins = $8 WHERE name = $1',
      values,
    )
  else {
    values[5] = pos ?? (await nextPosition(db, 'model'))
    await db.run('INSERT INTO model_entries (name, targets, fallbacks, enabled, source, position, cache, plugins) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', values)
  }
}

/** Creates or updates a route; `pos` undefined keeps its place, which breaks priority ties. */
export async function writeRoute(db: SqlDb, r: RouteConfig, source: Source, pos?: number): Promise<void> {
  const [matchType, pattern] = Object.entries(r.match)[0] as [string, string]
  const values = [r.name, matchType, pattern, r.provider, r.model, r.priority, r.enabled, source, pos ?? null, ...extensionColumns(r)]
  if (await exists(db, 'routes', 'name', r.name))
    await db.run(
      `UPDATE routes SET match_type = $2, pattern = $3, provider_id = $4, model_template = $5, priority = $6, enabled = $7, source = $8,
         position = coalesce($9, position), cache = $10, plugins = $11 WHERE name = $1`,
      values,
    )
  else {
    values[8] = pos ?? (await nextPosition(db, 'route'))
    await db.run(
      'INSERT INTO routes (name, match_type, pattern, provider_id, model_template, priority, enabled, source, position, cache, plugins) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
      values,
    )
  }
}

/** Everything the database holds for a client key, the secret only as its sha256. */
export interface ClientKeyRecord {
  name: string
  keyHash: string
  hint: string
  owner: string | null
  models: string[] | null
  enabled: boolean
  /** ISO 8601, UTC. */
  expiresAt: string | null
  rpm: number | null
  tpm: number | null
  dayTokens: number | null
  monthTokens: number | null
  dayUsd: number | null
  monthUsd: number | null
  /** The response cache and plugins for this key's requests (issue 19); null = not declared. */
  cache?: NonNullable<ExtensionConfig['cache']> | null
  plugins?: NonNullable<ExtensionConfig['plugins']> | null
}

/** A client key as rosetta.yaml declares it → the record to store, given its hash and hint. */
export function clientKeyRecord(c: ClientKeyConfig, keyHash: string, hint: string): ClientKeyRecord {
  return {
    name: c.name,
    keyHash,
    hint,
    owner: c.owner ?? null,
    models: c.models ?? null,
    enabled: c.enabled,
    expiresAt: c.expires_at ? new Date(c.expires_at).toISOString() : null,
    rpm: c.rpm ?? null,
    tpm: c.tpm ?? null,
    dayTokens: c.day_tokens ?? null,
    monthTokens: c.month_tokens ?? null,
    dayUsd: c.day_usd ?? null,
    monthUsd: c.month_usd ?? null,
    cache: c.cache ?? null,
    plugins: c.plugins?.length ? c.plugins : null,
  }
}

/**
 * Creates or updates a client key by name. Another key with the same secret is removed (one secret,
 * one identity): callers that must not take a key over check first (config import does).
 */
export async function writeClientKey(db: SqlDb, c: ClientKeyRecord, source: Source): Promise<void> {
  await db.run('DELETE FROM client_keys WHERE key_hash = $2 AND name <> $1', [c.name, c.keyHash])
  if (!(await exists(db, 'client_keys', 'name', c.name)))
    await db.run('INSERT INTO client_keys (name, key_hash, key_hint, enabled, source) VALUES ($1, $2, $3, $4, $5)', [c.name, c.keyHash, c.hint, c.enabled, source])
  await db.run(
    `UPDATE client_keys SET key_hash = $2, key_hint = $3, owner = $4, models = $5, enabled = $6, expires_at = $7::TIMESTAMP, rpm = $8, tpm = $9,
       day_tokens = $10, month_tokens = $11, day_usd = $12, month_usd = $13, source = $14, cache = $15, plugins = $16 WHERE name = $1`,
    [
      c.name,
      c.keyHash,
      c.hint,
      c.owner,
      c.models ? JSON.stringify(c.models) : null,
      c.enabled,
      c.expiresAt ? c.expiresAt.replace('Z', '') : null,
      c.rpm,
      c.tpm,
      c.dayTokens,
      c.monthTokens,
      c.dayUsd,
      c.monthUsd,
      source,
      ...extensionColumns({ cache: c.cache ?? undefined, plugins: c.plugins ?? undefined }),
    ],
  )
}

/** A client key from a plain secret (rosetta.yaml `key:`). */
export function clientKeyFromSecret(c: ClientKeyConfig, key: string): ClientKeyRecord {
  return clientKeyRecord(c, hashKey(key), maskSecret(key))
}

/** Sets the default provider and who set it (a reload clears only a default the file had set). */
export async function writeDefaultProvider(db: SqlDb, id: string | null, source: Source = 'db'): Promise<void> {
  const rows: Array<[string, string]> = [
    ['default_provider', id ?? ''],
    ['default_provider_source', source],
  ]
  for (const [key, value] of rows)
    await db.run(`INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`, [key, value])
}

/**
 * rosetta.yaml's say on the default provider: a declared one is set; without one, a default the file
 * set before is cleared and one set through the API is kept (a reload loses nothing made there).
 */
export async function applyFileDefaultProvider(db: SqlDb, id: string | undefined): Promise<void> {
  if (id) return writeDefaultProvider(db, id, 'file')
  const rows = await db.all<{ value: string }>("SELECT value FROM settings WHERE key = 'default_provider_source'")
  // A database from before the source was recorded: reloads always set it from the file, so still do.
  if ((rows[0]?.value ?? 'file') === 'file') await writeDefaultProvider(db, null, 'file')
}

const TABLE = { provider: ['providers', 'id'], model: ['model_entries', 'name'], route: ['routes', 'name'], key: ['provider_keys', 'id'] } as const

/** Who owns an entity: 'file' (read-only through the API), 'db', or undefined when it does not exist. */
export async function sourceOf(db: SqlDb, kind: keyof typeof TABLE, name: string | number): Promise<Source | undefined> {
  const [table, col] = TABLE[kind]
  const rows = await db.all<{ source: Source }>(`SELECT source FROM ${table} WHERE ${col} = $1`, [name])
  return rows[0]?.source
}

export async function deleteEntity(db: SqlDb, kind: keyof typeof TABLE, name: string | number): Promise<void> {
  const [table, col] = TABLE[kind]
  if (kind === 'provider') {
    await db.run('DELETE FROM provider_keys WHERE provider_id = $1', [name])
    await deleteProviderPreset(db, String(name))
  }
  await db.run(`DELETE FROM ${table} WHERE ${col} = $1`, [name])
}

export async function nextPosition(db: SqlDb, kind: 'provider' | 'model' | 'route'): Promise<number> {
  const [table] = TABLE[kind]
  const rows = await db.all<{ m: number | null }>(`SELECT max(position) AS m FROM ${table}`)
  return Number(rows[0]?.m ?? -1) + 1
}
