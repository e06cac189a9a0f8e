import { PROVIDER_OPTIONS, isMaskedSecret, modelEntrySchema, providerSchema, routeSchema, type ConfigFile, type ProviderConfig } from '../../../shared/schemas/config-file'
import { loadStoredConfig, type StoredConfig, type StoredExtensions } from '../db/config-repo'
import { clientKeyRecord, writeClientKey, writeDefaultProvider, writeModel, writeProvider, writeRoute, type ClientKeyRecord } from '../db/config-writes'
import { effectiveConfig } from './effective'
import { ConfigChangeError, change } from './admin-config'
import { appState } from '../app-state'
import { hashKey, maskSecret } from '../security/hashing'
import type { SqlDb } from '../db/sql-db'
import { asKeyInput, keyLabel, resolveKeys, type ResolvedKey } from './key-identity'
import { diffFields, type FieldChange } from './field-diff'

export type { FieldChange }

export interface ConfigChange {
  kind: 'provider' | 'model' | 'route' | 'client_key' | 'default_provider'
  name: string
  action: 'add' | 'update' | 'unchanged' | 'skipped'
  /** Why an entry is skipped (always given for 'skipped'). */
  reason?: string
  /** For 'update' and 'add': every field that changes, before → after (secrets only as masks and hashes). */
  fields?: FieldChange[]
}

type StoredProvider = StoredConfig['providers'][number]
type StoredClientKey = StoredConfig['clientKeys'][number]

/** A provider as compared: every option, and its pool keyed by each key's label (mask + fingerprint). */
function canonicalProvider(p: Omit<ProviderConfig, 'id' | 'keys'>, keys: Array<Pick<ResolvedKey, 'mask' | 'fingerprint' | 'weight' | 'enabled' | 'name' | 'max_concurrency'>>) {
  return {
    type: p.type,
    base_url: p.base_url ?? null,
    key_strategy: p.key_strategy,
    auth: p.auth ?? null,
    headers: p.headers,
    timeout_ms: p.timeout_ms,
    enabled: p.enabled,
    capabilities: p.capabilities ?? null,
    ...Object.fromEntries(PROVIDER_OPTIONS.map((o) => [o, p[o] ?? null])),
    preset: p.preset ?? null,
    quirks: p.quirks ?? null,
    keys: Object.fromEntries(
      keys.map((k, position) => [keyLabel(k), { position, weight: k.weight, max_concurrency: k.max_concurrency ?? null, enabled: k.enabled, name: k.name ?? null }]),
    ),
  }
}

function storedProvider(p: StoredProvider) {
  return canonicalProvider(
    {
      type: p.type,
      base_url: p.baseUrl ?? undefined,
      key_strategy: p.keyStrategy as ProviderConfig['key_strategy'],
      auth: p.authHeader && p.authTemplate ? { header: p.authHeader, template: p.authTemplate } : undefined,
      headers: p.headers,
      timeout_ms: p.timeoutMs,
      enabled: p.enabled,
      capabilities: (p.capabilities ?? undefined) as ProviderConfig['capabilities'],
      ...p.options,
      preset: p.preset ?? undefined,
      quirks: p.quirks ?? undefined,
    },
    p.keys.map((k) => ({ mask: maskSecret(k.key), fingerprint: k.fingerprint, weight: k.weight, enabled: k.enabled, name: k.name ?? undefined, max_concurrency: k.maxConcurrency ?? undefined })),
  )
}

/** The stored cache/plugins as rosetta.yaml fields (absent when not declared). */
function storedExtensions(e: StoredExtensions) {
  return { ...(e.cache ? { cache: e.cache } : {}), ...(e.plugins?.length ? { plugins: e.plugins } : {}) }
}

/** A client key as compared, named as rosetta.yaml names its fields: the secret as its hash (shown as the hint), every limit. */
function canonicalClientKey(c: ClientKeyRecord) {
  return {
    key: c.keyHash,
    owner: c.owner,
    models: c.models,
    enabled: c.enabled,
    expires_at: c.expiresAt,
    rpm: c.rpm,
    tpm: c.tpm,
    day_tokens: c.dayTokens,
    month_tokens: c.monthTokens,
    day_usd: c.dayUsd,
    month_usd: c.monthUsd,
    cache: c.cache ?? null,
    plugins: c.plugins ?? null,
  }
}

/** Shows a client key's secret in a diff as its hint and the start of its hash, never the hash alone. */
function showClientKeyChange(f: FieldChange, before: ClientKeyRecord | undefined, after: ClientKeyRecord): FieldChange {
  if (f.field !== 'key') return f
  const show = (r: ClientKeyRecord) => `${r.hint} (sha256 ${r.keyHash.slice(0, 8)}…)`
  return { field: 'key', ...(before ? { before: show(before) } : {}), after: show(after) }
}

/**
 * `config import`: compares a file with the stored configuration and, unless `dryRun`, applies what
 * differs as UI/CLI-owned entries (entries the file does not mention are left alone). Upstream keys
 * are matched by identity (see key-identity.ts), client keys by name, so an unchanged export imports
 * as "nothing to change". Entries owned by rosetta.yaml are never changed through the API. Every
 * change lists its fields before → after; every skipped entry says why.
 */
export async function importConfig(cfg: ConfigFile, dryRun: boolean): Promise<{ changes: ConfigChange[]; applied: boolean }> {
  const s = appState()
  if (!s) throw new ConfigChangeError('CONFLICT', 'the server is starting')
  const stored = await loadStoredConfig(s.db, s.box)
  const sources = effectiveConfig(stored, false)._sources
  const changes: ConfigChange[] = []
  // Each write gets the database to use: the transaction's handle when they are applied.
  const writes: Array<(db: SqlDb) => Promise<void>> = []

  function decide(kind: ConfigChange['kind'], name: string, before: object | undefined, after: object, write: (db: SqlDb) => Promise<void>, show = (f: FieldChange) => f) {
    const fields = diffFields(before ?? {}, after).map(show)
    if (before && fields.length === 0) return changes.push({ kind, name, action: 'unchanged' })
    if (sources[`${kind}:${name}`] === 'file') return changes.push({ kind, name, action: 'skipped', reason: 'managed by rosetta.yaml: change it there' })
    changes.push({ kind, name, action: before ? 'update' : 'add', fields })
    writes.push(write)
  }
  const skip = (kind: ConfigChange['kind'], name: string, reason: string) => changes.push({ kind, name, action: 'skipped', reason })

  for (const p of cfg.providers) {
    const existing = stored.providers.find((x) => x.id === p.id)
    const { keys, problems } = resolveKeys(p.keys, existing?.keys ?? [], s.box)
    if (problems.length) {
      skip('provider', p.id, problems.join('; '))
      continue
    }
    const next = providerSchema.parse({ ...p, keys: keys.map(asKeyInput) })
    const after = canonicalProvider(next, keys)
    decide('provider', p.id, existing && storedProvider(existing), after, (db) => writeProvider(db, s.box, next, 'db'))
  }
  for (const m of cfg.models) {
    const cur = stored.models.find((x) => x.name === m.name)
    const next = modelEntrySchema.parse(m)
    const canon = (x: typeof next) => ({ targets: x.targets, fallbacks: x.fallbacks, enabled: x.enabled, cache: x.cache ?? null, plugins: x.plugins?.length ? x.plugins : null })
    const before = cur && modelEntrySchema.parse({ name: cur.name, targets: cur.targets, fallbacks: cur.fallbacks, enabled: cur.enabled, ...storedExtensions(cur) })
    decide('model', m.name, before && canon(before), canon(next), (db) => writeModel(db, next, 'db'))
  }
  for (const r of cfg.routes) {
    const cur = stored.routes.find((x) => x.name === r.name)
    const next = routeSchema.parse(r)
    const canon = (x: typeof next) => ({ match: x.match, provider: x.provider, model: x.model, priority: x.priority, enabled: x.enabled, cache: x.cache ?? null, plugins: x.plugins?.length ? x.plugins : null })
    const before =
      cur &&
      routeSchema.parse({ name: cur.name, match: { [cur.matchType]: cur.pattern }, provider: cur.providerId, model: cur.modelTemplate, priority: cur.priority, enabled: cur.enabled, ...storedExtensions(cur) })
    decide('route', r.name, before && canon(before), canon(next), (db) => writeRoute(db, next, 'db'))
  }
  for (const c of cfg.client_keys) {
    const cur: StoredClientKey | undefined = stored.clientKeys.find((x) => x.name === c.name)
    let keyHash: string
    let hint: string
    if (c.key && !isMaskedSecret(c.key)) {
      keyHash = hashKey(c.key)
      hint = maskSecret(c.key)
    } else if (c.key_hash) {
      keyHash = c.key_hash
      hint = c.key ?? (cur?.keyHash === c.key_hash ? cur.hint : '…')
    } else if (cur && (!c.key || c.key === cur.hint)) {
      keyHash = cur.keyHash
      hint = cur.hint
    } else {
      skip(
        'client_key',
        c.name,
        cur
          ? `the masked key '${c.key}' is not the stored key of '${c.name}' ('${cur.hint}'): give key_hash (config export writes it) or the full key`
          : `no key given (${c.key ? 'a masked key cannot be restored' : 'neither key nor key_hash'}): give key_hash or the full key, or create it with \`rosetta client-keys add ${c.name}\``,
      )
      continue
    }
    const other = stored.clientKeys.find((x) => x.keyHash === keyHash && x.name !== c.name)
    if (other) {
      skip('client_key', c.name, `the same secret is client key '${other.name}': one secret, one client key`)
      continue
    }
    const next = clientKeyRecord(c, keyHash, hint)
    decide(
      'client_key',
      c.name,
      cur && canonicalClientKey(cur),
      canonicalClientKey(next),
      (db) => writeClientKey(db, next, 'db'),
      (f) => showClientKeyChange(f, cur, next),
    )
  }
  if (cfg.default_provider !== undefined) {
    const before = stored.defaultProvider
    if (before === cfg.default_provider) changes.push({ kind: 'default_provider', name: cfg.default_provider, action: 'unchanged' })
    else {
      changes.push({ kind: 'default_provider', name: cfg.default_provider, action: 'update', fields: [{ field: 'default_provider', before, after: cfg.default_provider }] })
      writes.push((db) => writeDefaultProvider(db, cfg.default_provider!))
    }
  }

  if (dryRun || writes.length === 0) return { changes, applied: false }
  await change(async (t) => {
    for (const w of writes) await w(t.db)
  })
  return { changes, applied: true }
}
