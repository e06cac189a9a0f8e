import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../../../server/services/db/database'
import { randomBytes } from 'node:crypto'
import { SecretBox } from '../../../server/services/security/secret-box'
import { applyConfigFile, loadStoredConfig } from '../../../server/services/db/config-repo'
import { writeDefaultProvider, writeProvider } from '../../../server/services/db/config-writes'
import { backfillKeyFingerprints } from '../../../server/services/db/key-fingerprints'
import { parseConfigText } from '../../../server/services/config/load-file'
import { providerSchema } from '../../../shared/schemas/config-file'
import { openConfigStore } from '../../helpers/database'

/** Ids survive edits and reloads because every write is an upsert by identity, never delete + insert. */
let db: Database
let box: SecretBox
beforeEach(async () => {
  ;({ db, box } = await openConfigStore())
})
afterEach(() => db.close())

const text = (keys: string, extra = '') => `
providers:
  - { id: p1, type: openai, keys: [${keys}] }
  - { id: p2, type: anthropic, keys: [sk-ant-p2-key-0001] }
models:
  - { name: m1, targets: [ { provider: p1, model: x } ] }
routes:
  - { name: r1, match: { prefix: "x-" }, provider: p1 }
  - { name: r2, match: { prefix: "y-" }, provider: p2 }
client_keys:
  - { name: c1, key: rk-client-one-0123456789, tpm: 100, day_usd: 2.5, owner: ops, expires_at: "2030-01-02T03:04:05Z" }
${extra}`
const file = (keys: string) => parseConfigText(text(keys))

const keyIds = async () => Object.fromEntries((await loadStoredConfig(db, box)).providers.flatMap((p) => p.keys.map((k) => [k.key, k.id])))

describe('stable identities', () => {
  it('a config reload keeps every key id; a removed key goes, a new key gets a new id', async () => {
    await applyConfigFile(db, box, file('sk-shared-aaaa-1234, sk-shared-bbbb-1234'))
    const before = await keyIds()
    expect(Object.keys(before)).toHaveLength(3)
    // The same file again (what a reload or a restart does): nothing moves.
    await applyConfigFile(db, box, file('sk-shared-aaaa-1234, sk-shared-bbbb-1234'))
    expect(await keyIds()).toEqual(before)
    // An edit: one key's settings change, one key goes, one comes, a route is dropped from the file.
    await applyConfigFile(db, box, parseConfigText(text('{ key: sk-shared-bbbb-1234, weight: 5 }, sk-new-key-cccc-9999').replace(/ {2}- \{ name: r2.*\n/, '')))
    const after = await keyIds()
    expect(after['sk-shared-bbbb-1234']).toBe(before['sk-shared-bbbb-1234'])
    expect(after['sk-ant-p2-key-0001']).toBe(before['sk-ant-p2-key-0001'])
    expect(after['sk-shared-aaaa-1234']).toBeUndefined()
    expect(Object.values(before)).not.toContain(after['sk-new-key-cccc-9999'])
    const stored = await loadStoredConfig(db, box)
    expect(stored.providers[0]!.keys.map((k) => [k.key, k.weight])).toEqual([
      ['sk-shared-bbbb-1234', 5],
      ['sk-new-key-cccc-9999', 1],
    ])
    expect(stored.routes.map((r) => r.name)).toEqual(['r1'])
  })

  it('an API edit of a provider keeps its key ids and its place; keepKeys leaves the pool alone', async () => {
    await applyConfigFile(db, box, file('sk-shared-aaaa-1234'))
    const p = providerSchema.parse({ id: 'api', type: 'openai', keys: ['sk-api-one-111111', 'sk-api-two-222222'] })
    await writeProvider(db, box, p, 'db')
    const ids = await keyIds()
    await writeProvider(db, box, { ...p, timeout_ms: 5, keys: ['sk-api-two-222222', 'sk-api-one-111111'] }, 'db')
    expect(await keyIds()).toEqual(ids)
    await writeProvider(db, box, { ...p, keys: [] }, 'db', undefined, { keepKeys: true })
    const stored = await loadStoredConfig(db, box)
    expect(stored.providers.map((x) => x.id)).toEqual(['p1', 'p2', 'api'])
    expect(stored.providers[2]!.keys.map((k) => k.key)).toEqual(['sk-api-two-222222', 'sk-api-one-111111'])
  })

  it('client keys keep every limit through a reload, and a hash-only entry restores the same key', async () => {
    await applyConfigFile(db, box, file('sk-shared-aaaa-1234'))
    const first = (await loadStoredConfig(db, box)).clientKeys[0]!
    expect(first).toMatchObject({ name: 'c1', owner: 'ops', tpm: 100, dayUsd: 2.5, expiresAt: '2030-01-02T03:04:05.000Z', source: 'file' })
    const cfg = file('sk-shared-aaaa-1234')
    cfg.client_keys = [{ ...cfg.client_keys[0]!, key: first.hint, key_hash: first.keyHash }]
    await applyConfigFile(db, box, cfg)
    expect((await loadStoredConfig(db, box)).clientKeys[0]).toEqual(first)
  })

  it('fingerprints: stored with the key, filled in for older rows, the same for the same secret, safe to show', async () => {
    await applyConfigFile(db, box, file('sk-shared-aaaa-1234, sk-shared-bbbb-1234'))
    const keys = (await loadStoredConfig(db, box)).providers[0]!.keys
    expect(keys[0]!.fingerprint).toMatch(/^[0-9a-f]{12}$/)
    expect(keys[0]!.fingerprint).not.toBe(keys[1]!.fingerprint)
    expect(keys[0]!.fingerprint).toBe(box.keyFingerprint('sk-shared-aaaa-1234'))
    // Another master key gives other fingerprints: they are keyed, not a plain hash of the secret.
    expect(new SecretBox(randomBytes(32)).keyFingerprint('sk-shared-aaaa-1234')).not.toBe(keys[0]!.fingerprint)
    await db.run('UPDATE provider_keys SET fingerprint = NULL')
    expect(await backfillKeyFingerprints(db, box)).toBe(3)
    expect((await loadStoredConfig(db, box)).providers[0]!.keys.map((k) => k.fingerprint)).toEqual(keys.map((k) => k.fingerprint))
    expect(await backfillKeyFingerprints(db, box)).toBe(0)
  })

  it('a reload keeps a default provider set through the API, and clears one only the file had set', async () => {
    await applyConfigFile(db, box, file('sk-shared-aaaa-1234'))
    await writeDefaultProvider(db, 'p2')
    await applyConfigFile(db, box, file('sk-shared-aaaa-1234'))
    expect((await loadStoredConfig(db, box)).defaultProvider).toBe('p2')
    await applyConfigFile(db, box, parseConfigText(text('sk-shared-aaaa-1234', 'default_provider: p1')))
    expect((await loadStoredConfig(db, box)).defaultProvider).toBe('p1')
    await applyConfigFile(db, box, file('sk-shared-aaaa-1234'))
    expect((await loadStoredConfig(db, box)).defaultProvider).toBeNull()
  })
})
