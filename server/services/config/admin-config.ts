import { appState, reloadSnapshot, type AppState } from '../app-state'
import { loadStoredConfig } from '../db/config-repo'
import { deleteEntity, sourceOf, writeDefaultProvider, writeModel, writeProvider, writeProviderKeys, writeRoute } from '../db/config-writes'
import { asKeyInput, resolveKeys } from './key-identity'
import { isMaskedSecret } from '../../../shared/schemas/config-file'
import type { ExtensionConfig, ModelEntryConfig, ProviderConfig, RouteConfig } from '../../../shared/schemas/config-file'
import type { SqlDb } from '../db/sql-db'
import { jsonColumn } from '../db/table-rows'

/** A change the API refuses, with the reason for the caller (mapped to a TRPCError by the routers). */
export class ConfigChangeError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' | 'BAD_REQUEST',
    message: string,
  ) {
    super(message)
  }
}

export type EntityKind = 'provider' | 'model' | 'route'

function st(): AppState {
  const s = appState()
  if (!s) throw new ConfigChangeError('CONFLICT', 'the server is starting')
  return s
}

/**
 * Runs a configuration change in one transaction, then swaps in a new snapshot: the next request
 * sees it, requests in flight finish on the one they started with.
 */
export async function change<T>(fn: (s: AppState) => Promise<T>): Promise<T> {
  const s = st()
  // Inside the transaction `s.db` is its handle: everything fn writes lands in it.
  const out = await s.db.transaction((tx) => fn({ ...s, db: tx }))
  await reloadSnapshot()
  return out
}

/** Entries rosetta.yaml declares are owned by the file: read-only through the API. */
export async function assertEditable(s: AppState, kind: EntityKind, name: string, mustExist: boolean): Promise<void> {
  const src = await sourceOf(s.db, kind, name)
  if (src === 'file') throw new ConfigChangeError('FORBIDDEN', `${kind} '${name}' is managed by rosetta.yaml: change it there`)
  if (mustExist && !src) throw new ConfigChangeError('NOT_FOUND', `${kind} '${name}' does not exist`)
}

async function assertProviderExists(s: AppState, id: string): Promise<void> {
  if (!(await sourceOf(s.db, 'provider', id))) throw new ConfigChangeError('BAD_REQUEST', `unknown provider '${id}'`)
}

export function saveProvider(p: ProviderConfig, mode: 'create' | 'update'): Promise<void> {
  return change(async (s) => {
    const exists = await sourceOf(s.db, 'provider', p.id)
    if (mode === 'create' && exists) throw new ConfigChangeError('CONFLICT', `provider '${p.id}' already exists`)
    await assertEditable(s, 'provider', p.id, mode === 'update')
    // An update without keys keeps the pool; keys are managed with addKeys/removeKey. A listed pool
    // is matched by identity (a masked key keeps the stored key it names), so ids stay as they are.
    const keepKeys = mode === 'update' && p.keys.length === 0
    let next = p
    if (!keepKeys) {
      const pool = (await loadStoredConfig(s.db, s.box)).providers.find((x) => x.id === p.id)?.keys ?? []
      const { keys, problems } = resolveKeys(p.keys, pool, s.box)
      if (problems.length) throw new ConfigChangeError('BAD_REQUEST', `provider '${p.id}': ${problems.join('; ')}`)
      next = { ...p, keys: keys.map(asKeyInput) }
    }
    await writeProvider(s.db, s.box, next, 'db', undefined, { keepKeys })
  })
}

export function addProviderKeys(providerId: string, keys: ProviderConfig['keys']): Promise<number> {
  return change(async (s) => {
    await assertEditable(s, 'provider', providerId, true)
    const masked = keys.findIndex((k) => isMaskedSecret(typeof k === 'string' ? k : k.key))
    if (masked >= 0) throw new ConfigChangeError('BAD_REQUEST', `keys[${masked}] is masked (sk-a…wxyz): give the full key`)
    return writeProviderKeys(s.db, s.box, providerId, keys, 'db')
  })
}

export function removeProviderKey(id: number): Promise<void> {
  return change(async (s) => {
    const rows = await s.db.all<{ provider_id: string; source: string }>('SELECT provider_id, source FROM provider_keys WHERE id = $1', [id])
    if (!rows[0]) throw new ConfigChangeError('NOT_FOUND', `no key with id ${id}`)
    if (rows[0].source === 'file') throw new ConfigChangeError('FORBIDDEN', `key ${id} is managed by rosetta.yaml: change it there`)
    await deleteEntity(s.db, 'key', id)
  })
}

/**
 * An update that does not mention `cache:` or `plugins:` keeps the stored ones (issue 19), so a form or
 * CLI command that edits other fields (or toggles enabled) never drops them; `plugins: []` removes them.
 */
async function keepExtensions<T extends ExtensionConfig & { name: string }>(db: SqlDb, table: 'model_entries' | 'routes', e: T): Promise<T> {
  if (e.cache !== undefined && e.plugins !== undefined) return e
  const row = (await db.all<{ cache: unknown; plugins: unknown }>(`SELECT cache, plugins FROM ${table} WHERE name = $1`, [e.name]))[0]
  if (!row) return e
  return {
    ...e,
    cache: e.cache ?? jsonColumn<ExtensionConfig['cache'] | null>(row.cache, null) ?? undefined,
    plugins: e.plugins ?? jsonColumn<ExtensionConfig['plugins'] | null>(row.plugins, null) ?? undefined,
  }
}

export function saveModel(m: ModelEntryConfig, mode: 'create' | 'update'): Promise<void> {
  return change(async (s) => {
    const exists = await sourceOf(s.db, 'model', m.name)
    if (mode === 'create' && exists) throw new ConfigChangeError('CONFLICT', `model '${m.name}' already exists`)
    await assertEditable(s, 'model', m.name, mode === 'update')
    for (const t of [...m.targets, ...m.fallbacks]) await assertProviderExists(s, t.provider)
    await writeModel(s.db, mode === 'update' ? await keepExtensions(s.db, 'model_entries', m) : m, 'db')
  })
}

export function saveRoute(r: RouteConfig, mode: 'create' | 'update'): Promise<void> {
  return change(async (s) => {
    const exists = await sourceOf(s.db, 'route', r.name)
    if (mode === 'create' && exists) throw new ConfigChangeError('CONFLICT', `route '${r.name}' already exists`)
    await assertEditable(s, 'route', r.name, mode === 'update')
    await assertProviderExists(s, r.provider)
    await writeRoute(s.db, mode === 'update' ? await keepExtensions(s.db, 'routes', r) : r, 'db')
  })
}

export function removeEntity(kind: EntityKind, name: string): Promise<void> {
  return change(async (s) => {
    await assertEditable(s, kind, name, true)
    if (kind === 'provider') {
      const used = await s.db.all<{ name: string }>('SELECT name FROM routes WHERE provider_id = $1', [name])
      if (used.length) throw new ConfigChangeError('CONFLICT', `provider '${name}' is used by route(s) ${used.map((u) => u.name).join(', ')}`)
    }
    await deleteEntity(s.db, kind, name)
  })
}

export function setDefaultProvider(id: string | null): Promise<void> {
  return change(async (s) => {
    if (id) await assertProviderExists(s, id)
    await writeDefaultProvider(s.db, id)
  })
}
