import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import type { Database } from '../../../server/services/db/database'
import type { PgDatabase } from '../../../server/services/db/postgres/pg-database'
import { SecretBox } from '../../../server/services/security/secret-box'
import { applyConfigFile, loadStoredConfig } from '../../../server/services/db/config-repo'
import { parseConfigText } from '../../../server/services/config/load-file'
import { getSetting, setSetting } from '../../../server/services/db/settings-repo'
import { deleteClientKey, getClientKey, insertClientKey, listClientKeys, updateClientKey, usageSince } from '../../../server/services/db/client-keys-repo'
import { clientKeyCreateSchema } from '../../../shared/schemas/security'
import { deleteAdminToken, insertAdminToken, listAdminTokens, updateAdminToken } from '../../../server/services/db/admin-tokens-repo'
import { deleteSessions, insertSession, loadLiveSessions, type SessionRow } from '../../../server/services/db/sessions-repo'
import { insertAudit, listAudit } from '../../../server/services/db/audit-repo'
import { listPrices, updatePrices } from '../../../server/services/db/price-repo'
import { loadKeyStates, saveKeyStates } from '../../../server/services/db/key-state-repo'
import { MemoryStateStore } from '../../../server/gateway/pool/state-store'
import { newKeyState } from '../../../server/gateway/pool/key-state'
import { openEmbeddingCacheRepo } from '../../../server/services/db/embedding-cache-repo'
import { loadMasterKey } from '../../../server/services/security/master-key'
import { backfillKeyFingerprints } from '../../../server/services/db/key-fingerprints'
import { STORE_ENGINES } from '../../support/store-engines'

/**
 * The repository contract: the same cases against each engine (DuckDB in memory; PostgreSQL in a
 * throwaway server, a fresh database per case owned by a role that is not a superuser). A repository
 * whose SQL one engine reads differently fails here, on that engine.
 */
describe.each(STORE_ENGINES)('store contract on $name', (engine) => {
  let db: Database | PgDatabase
  const box = new SecretBox(randomBytes(32))
  beforeEach(async () => {
    db = await engine.open()
  }, 30_000)
  afterEach(async () => {
    await engine.close(db)
  })

  it('migrations build every table; settings upsert', async () => {
    const tables = ['settings', 'providers', 'provider_keys', 'model_entries', 'routes', 'client_keys', 'request_log', 'request_bodies', 'prices', 'key_state', 'admin_tokens', 'sessions', 'audit_log', 'embedding_cache']
    for (const t of tables) expect(await db.all(`SELECT count(*) AS n FROM ${t}`), t).toHaveLength(1)
    expect(await getSetting(db, 'x')).toBeUndefined()
    await setSetting(db, 'x', 'one')
    await setSetting(db, 'x', 'two')
    expect(await getSetting(db, 'x')).toBe('two')
  })

  it('a failed transaction leaves nothing behind', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO settings (key, value) VALUES ('t', 'v')")
        await tx.run("INSERT INTO settings (key, value) VALUES ('t', 'again')") // primary key: fails
      }),
    ).rejects.toThrow()
    expect(await getSetting(db, 't')).toBeUndefined()
  })

  it('configuration: a file applied, stored and read back (secrets decrypted, ids kept on reapply)', async () => {
    const text = `
providers:
  - { id: p1, type: openai, base_url: "http://127.0.0.1:1/v1", headers: { x-a: b }, keys: [sk-contract-aaaa-1111, { key: sk-contract-bbbb-2222, weight: 3, max_concurrency: 2 }] }
  - { id: p2, type: anthropic, keys: [sk-ant-contract-0001] }
models:
  - { name: m1, targets: [ { provider: p1, model: x, weight: 2 } ], fallbacks: [ { provider: p2, model: y } ] }
routes:
  - { name: r1, match: { prefix: "x-" }, provider: p1 }
client_keys:
  - { name: c1, key: rk-client-contract-0123456789, rpm: 10, day_usd: 2.5, owner: ops, expires_at: "2030-01-02T03:04:05Z" }
default_provider: p2
`
    await applyConfigFile(db, box, parseConfigText(text))
    const a = await loadStoredConfig(db, box)
    expect(a.providers.map((p) => p.id)).toEqual(['p1', 'p2'])
    expect(a.providers[0]!.headers).toEqual({ 'x-a': 'b' })
    expect(a.providers[0]!.keys.map((k) => [k.key, k.weight, k.maxConcurrency])).toEqual([
      ['sk-contract-aaaa-1111', 1, null],
      ['sk-contract-bbbb-2222', 3, 2],
    ])
    expect(a.models[0]!.targets).toEqual([{ provider: 'p1', model: 'x', weight: 2 }])
    expect(a.models[0]!.fallbacks[0]).toMatchObject({ provider: 'p2', model: 'y' })
    expect(a.routes.map((r) => [r.name, r.matchType, r.pattern])).toEqual([['r1', 'prefix', 'x-']])
    expect(a.clientKeys[0]).toMatchObject({ name: 'c1', rpm: 10, dayUsd: 2.5, owner: 'ops', expiresAt: '2030-01-02T03:04:05.000Z', source: 'file' })
    expect(a.defaultProvider).toBe('p2')
    await applyConfigFile(db, box, parseConfigText(text))
    const b = await loadStoredConfig(db, box)
    expect(b.providers.flatMap((p) => p.keys.map((k) => k.id))).toEqual(a.providers.flatMap((p) => p.keys.map((k) => k.id)))
    // Fingerprints: filled in for rows that lack one.
    await db.run('UPDATE provider_keys SET fingerprint = NULL')
    expect(await backfillKeyFingerprints(db, box)).toBe(3)
    expect((await loadStoredConfig(db, box)).providers[0]!.keys[0]!.fingerprint).toBe(box.keyFingerprint('sk-contract-aaaa-1111'))
  })

  it('the master key: its fingerprint is stored; another key is refused', async () => {
    const key = randomBytes(32).toString('base64')
    const first = await loadMasterKey(db, null, key)
    expect(await getSetting(db, 'master_key_fingerprint')).toBe(first.fingerprint())
    await expect(loadMasterKey(db, null, randomBytes(32).toString('base64'))).rejects.toThrow(/master key differs/)
  })

  it('client keys: insert, read, update, delete; usage since a day and a month', async () => {
    await insertClientKey(db, clientKeyCreateSchema.parse({ name: 'k1', models: ['gpt-*'], rpm: 5, expiresAt: '2031-05-06T07:08:09Z', monthUsd: 9.5 }), 'hash1', 'rk-…0001')
    const k = await getClientKey(db, 'k1')
    expect(k).toMatchObject({ name: 'k1', hint: 'rk-…0001', models: ['gpt-*'], rpm: 5, tpm: null, monthUsd: 9.5, expiresAt: '2031-05-06T07:08:09.000Z', source: 'db', enabled: true })
    expect(Date.parse(k!.createdAt)).toBeGreaterThan(Date.now() - 3_600_000)
    await updateClientKey(db, { ...k!, rpm: 7, enabled: false, models: null })
    expect(await getClientKey(db, 'k1')).toMatchObject({ rpm: 7, enabled: false, models: null })
    const day = new Date(Date.UTC(2030, 0, 15))
    const month = new Date(Date.UTC(2030, 0, 1))
    const row = (ts: string, tokens: number, cost: number) =>
      db.run(
        `INSERT INTO request_log (ts, request_id, client_key, dialect, stream, status, latency_ms, input_tokens, output_tokens, cost_usd)
         VALUES (CAST($1 AS TIMESTAMP), $2, 'k1', 'openai-chat', false, 200, 1.5, $3, 1, $4)`,
        [ts, `r-${ts}`, tokens, cost],
      )
    await row('2030-01-15T10:00:00.000Z', 9, 0.25)
    await row('2030-01-03T10:00:00.000Z', 99, 1)
    await row('2029-12-31T10:00:00.000Z', 999, 4)
    expect(await usageSince(db, day, month)).toEqual([{ name: 'k1', dayTokens: 10, monthTokens: 110, dayUsd: 0.25, monthUsd: 1.25 }])
    await deleteClientKey(db, 'k1')
    expect(await listClientKeys(db)).toEqual([])
  })

  it('admin tokens and sessions: stored by hash, expired sessions tidied at load', async () => {
    await insertAdminToken(db, { name: 't1', tokenHash: 'h1', hint: 'rt-…1', role: 'viewer', canViewBodies: false, enabled: true, expiresAt: null, createdBy: 'admin' })
    const [t] = await listAdminTokens(db)
    expect(t).toMatchObject({ name: 't1', role: 'viewer', expiresAt: null, createdBy: 'admin' })
    await updateAdminToken(db, { ...t!, role: 'operator', expiresAt: '2032-01-01T00:00:00.000Z' })
    expect((await listAdminTokens(db))[0]).toMatchObject({ role: 'operator', expiresAt: '2032-01-01T00:00:00.000Z' })
    await deleteAdminToken(db, 't1')
    expect(await listAdminTokens(db)).toEqual([])

    const s = (idHash: string, expiresAt: string, subjectName = 'root'): SessionRow => ({ idHash, subjectKind: 'admin', subjectName, role: 'admin', canViewBodies: true, createdAt: new Date().toISOString(), expiresAt, ip: '127.0.0.1', userAgent: 'ua' })
    const later = new Date(Date.now() + 3_600_000).toISOString()
    await insertSession(db, s('live1', later))
    await insertSession(db, s('live2', later, 'other'))
    await insertSession(db, s('gone', new Date(Date.now() - 1000).toISOString()))
    expect((await loadLiveSessions(db)).map((x) => x.idHash).sort()).toEqual(['live1', 'live2'])
    expect(await db.all("SELECT id_hash FROM sessions WHERE id_hash = 'gone'")).toEqual([])
    await deleteSessions(db, { subjectKind: 'admin', subjectName: 'root' })
    const left = await loadLiveSessions(db)
    expect(left.map((x) => x.idHash)).toEqual(['live2'])
    expect(left[0]!.expiresAt).toBe(later)
  })

  it('the audit log: newest first, filtered, JSON before/after kept', async () => {
    await insertAudit(db, { actor: 'a', role: 'admin', ip: null, action: 'providers.create', target: 'p1', outcome: 'ok', after: { id: 'p1' } })
    await insertAudit(db, { actor: 'b', role: 'viewer', ip: '1.2.3.4', action: 'login', outcome: 'denied', detail: 'bad' })
    await insertAudit(db, { actor: 'a', role: 'admin', ip: null, action: 'providers.delete', target: 'p1', outcome: 'ok', before: { id: 'p1', n: [1, 2] } })
    const all = await listAudit(db, { limit: 10 })
    expect(all.map((r) => r.action)).toEqual(['providers.delete', 'login', 'providers.create'])
    expect(all[0]!.before).toEqual({ id: 'p1', n: [1, 2] })
    expect(all[2]!.after).toEqual({ id: 'p1' })
    expect((await listAudit(db, { limit: 10, actor: 'a', action: 'providers' })).map((r) => r.action)).toEqual(['providers.delete', 'providers.create'])
    expect((await listAudit(db, { limit: 10, outcome: 'denied' }))[0]).toMatchObject({ actor: 'b', ip: '1.2.3.4', detail: 'bad' })
    expect(await listAudit(db, { limit: 10, since: new Date(Date.now() + 60_000).toISOString() })).toEqual([])
    expect((await listAudit(db, { limit: 10, beforeId: all[1]!.id })).map((r) => r.action)).toEqual(['providers.create'])
  })

  it('prices: defaults seeded; upsert and remove in one go', async () => {
    const before = await listPrices(db)
    expect(before.length).toBeGreaterThan(5)
    expect(before[0]!.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    await updatePrices(db, [{ pattern: 'zz-model', inputPerM: 1.5, outputPerM: 3, cacheReadPerM: null, cacheWritePerM: 0.5 }], [before[0]!.pattern])
    const after = await listPrices(db)
    expect(after.find((p) => p.pattern === 'zz-model')).toMatchObject({ inputPerM: 1.5, outputPerM: 3, cacheReadPerM: null, cacheWritePerM: 0.5 })
    expect(after.find((p) => p.pattern === before[0]!.pattern)).toBeUndefined()
    await updatePrices(db, [{ pattern: 'zz-model', inputPerM: 2, outputPerM: 4, cacheReadPerM: 0.1, cacheWritePerM: null }], [])
    expect((await listPrices(db)).find((p) => p.pattern === 'zz-model')).toMatchObject({ inputPerM: 2, cacheReadPerM: 0.1, cacheWritePerM: null })
  })

  it('key states: saved (upserted) and read back to the millisecond', async () => {
    const s = newKeyState()
    Object.assign(s, { requests: 12, successes: 10, failures: { rate_limit: 2 }, inputTokens: 5_000_000_000, outputTokens: 7, lastUsed: 1_800_000_000_123, lastError: 'boom', restUntil: 1_800_000_060_456, strikes: 2, disabledReason: 'invalid key', disabledAt: 1_800_000_000_789 })
    await saveKeyStates(db, [['kh1', s, 'p1']])
    await saveKeyStates(db, [['kh1', { ...s, requests: 13 }, 'p1']])
    const store = new MemoryStateStore()
    await loadKeyStates(db, store)
    expect(store.key('kh1')).toMatchObject({ requests: 13, successes: 10, failures: { rate_limit: 2 }, inputTokens: 5_000_000_000, lastUsed: 1_800_000_000_123, restUntil: 1_800_000_060_456, strikes: 2, disabledReason: 'invalid key', disabledAt: 1_800_000_000_789, dirty: false })
    const none = newKeyState()
    await saveKeyStates(db, [['kh2', none, 'p1']])
    await loadKeyStates(db, store)
    expect(store.key('kh2')).toMatchObject({ lastUsed: null, restUntil: 0, disabledAt: null })
  })

  it('the embedding cache: vectors round-trip, age and size pruning', async () => {
    const repo = await openEmbeddingCacheRepo(db)
    try {
      await repo.put([
        { hash: 'h1', model: 'e', dims: 3, vector: [0.5, -2, 3.25] },
        { hash: 'h2', model: 'e', dims: 2, vector: [1, 2] },
      ])
      await repo.put([{ hash: 'h2', model: 'e', dims: 2, vector: [3, 4] }])
      const got = await repo.get(['h1', 'h2', 'h3'], Date.now() - 60_000)
      expect(Object.fromEntries(got)).toEqual({ h1: [0.5, -2, 3.25], h2: [3, 4] })
      expect((await repo.get(['h1'], Date.now() + 60_000)).size).toBe(0)
      expect(await repo.count()).toBe(2)
      expect(await repo.prune(Date.now() - 60_000, 1)).toBe(1)
      expect(await repo.count()).toBe(1)
      expect(await repo.prune(Date.now() + 60_000, 10)).toBe(0)
    } finally {
      repo.close()
    }
  })
})
