import { clientKeySchema, modelEntrySchema, providerSchema, routeSchema, type ConfigFile } from '../../../shared/schemas/config-file'
import { loadStoredConfig } from '../db/config-repo'
import { writeClientKey, writeDefaultProvider, writeModel, writeProvider, writeRoute, nextPosition } from '../db/config-writes'
import { effectiveConfig, isMasked } from './effective'
import { ConfigChangeError, change } from './admin-config'
import { appState } from '../app-state'
import { maskSecret } from '../security/hashing'
import type { Database } from '../db/database'

export interface ConfigChange {
  kind: 'provider' | 'model' | 'route' | 'client_key' | 'default_provider'
  name: string
  action: 'add' | 'update' | 'unchanged' | 'skipped'
  reason?: string
}

type Key = ConfigFile['providers'][number]['keys'][number]
const keyObj = (k: Key) => (typeof k === 'string' ? { key: k, weight: 1, enabled: true } : { ...k })
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * `config import`: compares a file with the effective configuration and, unless `dryRun`, applies
 * what differs as UI/CLI-owned entries (nothing is deleted). Masked keys (`sk-a…wxyz`, as `config
 * export` writes them) stand for the key already in the pool with that mask. Entries owned by
 * rosetta.yaml are never changed through the API.
 */
export async function importConfig(cfg: ConfigFile, dryRun: boolean): Promise<{ changes: ConfigChange[]; applied: boolean }> {
  const s = appState()
  if (!s) throw new ConfigChangeError('CONFLICT', 'the server is starting')
  const stored = await loadStoredConfig(s.db, s.box)
  const current = effectiveConfig(stored, true)
  const changes: ConfigChange[] = []
  // Each write gets the database to use: the transaction's handle when they are applied.
  const writes: Array<(db: Database) => Promise<void>> = []

  for (const p of cfg.providers) {
    const existing = stored.providers.find((x) => x.id === p.id)
    const keys = p.keys.map((k) => {
      const o = keyObj(k)
      if (!isMasked(o.key)) return o
      const real = existing?.keys.find((e) => maskSecret(e.key) === o.key)
      if (!real) throw new ConfigChangeError('BAD_REQUEST', `providers.${p.id}: key '${o.key}' is masked and matches no key in the pool; give the full key (config export --reveal)`)
      return { ...o, key: real.key }
    })
    const next = providerSchema.parse({ ...p, keys })
    const cur = current.providers.find((x) => x.id === p.id)
    const norm = (x: typeof next) => ({ ...x, keys: x.keys.map(keyObj) })
    decide('provider', p.id, cur ? norm(providerSchema.parse(cur)) : undefined, norm(next), current._sources[`provider:${p.id}`], (db) =>
      writeProvider(db, s.box, next, 'db', existing ? stored.providers.indexOf(existing) : 1_000 + changes.length),
    )
  }
  for (const m of cfg.models) {
    const cur = current.models.find((x) => x.name === m.name)
    const next = modelEntrySchema.parse(m)
    decide('model', m.name, cur && modelEntrySchema.parse(cur), next, current._sources[`model:${m.name}`], async (db) => writeModel(db, next, 'db', await nextPosition(db, 'model')))
  }
  for (const r of cfg.routes) {
    const cur = current.routes.find((x) => x.name === r.name)
    const next = routeSchema.parse(r)
    decide('route', r.name, cur && routeSchema.parse(cur), next, current._sources[`route:${r.name}`], async (db) => writeRoute(db, next, 'db', await nextPosition(db, 'route')))
  }
  for (const c of cfg.client_keys) {
    const cur = current.client_keys.find((x) => x.name === c.name)
    const next = clientKeySchema.parse(c)
    if (!c.key) {
      if (!cur) {
        changes.push({ kind: 'client_key', name: c.name, action: 'skipped', reason: 'no key given: create it with `rosetta client-keys add`' })
        continue
      }
      const { key: _k, ...rest } = next
      void _k
      if (same(clientKeySchema.parse(cur), rest)) changes.push({ kind: 'client_key', name: c.name, action: 'unchanged' })
      else {
        changes.push({ kind: 'client_key', name: c.name, action: 'update' })
        writes.push((db) =>
          db.run('UPDATE client_keys SET models = $2, rpm = $3, enabled = $4 WHERE name = $1', [c.name, next.models ? JSON.stringify(next.models) : null, next.rpm ?? null, next.enabled]),
        )
      }
      continue
    }
    changes.push({ kind: 'client_key', name: c.name, action: cur ? 'update' : 'add' })
    writes.push((db) => writeClientKey(db, next, c.key!, 'db'))
  }
  if (cfg.default_provider !== undefined) {
    const action = current.default_provider === cfg.default_provider ? 'unchanged' : 'update'
    changes.push({ kind: 'default_provider', name: cfg.default_provider, action })
    if (action === 'update') writes.push((db) => writeDefaultProvider(db, cfg.default_provider!))
  }

  function decide(kind: ConfigChange['kind'], name: string, cur: unknown, next: unknown, source: string | undefined, write: (db: Database) => Promise<void>) {
    if (cur !== undefined && same(cur, next)) changes.push({ kind, name, action: 'unchanged' })
    else if (source === 'file') changes.push({ kind, name, action: 'skipped', reason: 'managed by rosetta.yaml' })
    else {
      changes.push({ kind, name, action: cur === undefined ? 'add' : 'update' })
      writes.push(write)
    }
  }

  if (dryRun || writes.length === 0) return { changes, applied: false }
  await change(async (t) => {
    for (const w of writes) await w(t.db)
  })
  return { changes, applied: true }
}
