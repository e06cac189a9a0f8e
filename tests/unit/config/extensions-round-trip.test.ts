import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../../../server/services/db/database'
import type { SecretBox } from '../../../server/services/security/secret-box'
import { applyConfigFile, loadStoredConfig } from '../../../server/services/db/config-repo'
import { effectiveConfig } from '../../../server/services/config/effective'
import { parseConfigText } from '../../../server/services/config/load-file'
import { configFileSchema, formatZodIssues } from '../../../shared/schemas/config-file'
import { authenticate, buildSnapshot } from '../../../server/gateway/routing/snapshot'
import { resolveModel } from '../../../server/gateway/routing/resolve'
import { combineExtensions } from '../../../server/gateway/extensions'
import { hashKey } from '../../../server/services/security/hashing'
import { openConfigStore } from '../../helpers/database'

/** Issue 19: `cache:` and `plugins:` on model entries, routes and client keys, from the file to the hot path and back. */
let db: Database
let box: SecretBox
beforeEach(async () => {
  ;({ db, box } = await openConfigStore())
})
afterEach(() => db.close())

const CLIENT = 'rk-client-one-0123456789'
const TEXT = `
providers:
  - { id: p1, type: openai, keys: [sk-p1-key-0001] }
models:
  - name: m1
    targets: [ { provider: p1, model: x } ]
    cache: { enabled: true, ttl_s: 300 }
    plugins: [ { use: deny-words, with: { words: [a, b], in: both } }, { use: redact, on_error: closed, timeout_ms: 250 } ]
  - { name: m2, targets: [ { provider: p1, model: y } ] }
routes:
  - { name: r1, match: { prefix: "x-" }, provider: p1, cache: { enabled: true, ttl_s: 10, any_temperature: true } }
client_keys:
  - { name: c1, key: ${CLIENT}, cache: { enabled: false }, plugins: [ { use: max-tokens, with: { max: 100 } } ] }
`

describe('cache and plugins settings', () => {
  it('survive file → database → export unchanged (defaults filled in), and entries without them export without them', async () => {
    await applyConfigFile(db, box, parseConfigText(TEXT))
    const out = effectiveConfig(await loadStoredConfig(db, box), false)
    expect(out.models[0]).toMatchObject({
      cache: { enabled: true, ttl_s: 300, any_temperature: false },
      plugins: [{ use: 'deny-words', with: { words: ['a', 'b'], in: 'both' } }, { use: 'redact', on_error: 'closed', timeout_ms: 250 }],
    })
    expect('cache' in out.models[1]!).toBe(false)
    expect('plugins' in out.models[1]!).toBe(false)
    expect(out.routes[0]!.cache).toEqual({ enabled: true, ttl_s: 10, any_temperature: true })
    expect(out.client_keys[0]).toMatchObject({ cache: { enabled: false, ttl_s: 3600, any_temperature: false }, plugins: [{ use: 'max-tokens', with: { max: 100 } }] })
    // The export is a valid file that stores the same thing again (providers from the original: the export masks their keys).
    const { _sources, ...file } = out
    void _sources
    const again = configFileSchema.parse(JSON.parse(JSON.stringify(file)))
    await applyConfigFile(db, box, { ...again, providers: parseConfigText(TEXT).providers })
    expect(effectiveConfig(await loadStoredConfig(db, box), false)).toEqual(out)
  })

  it('compile into the snapshot: the entry’s cache and plugins, the client key’s override of the cache, its plugins after', async () => {
    await applyConfigFile(db, box, parseConfigText(TEXT))
    const snap = buildSnapshot(await loadStoredConfig(db, box), hashKey('admin'))
    const who = authenticate(snap, CLIENT)!
    const m1 = resolveModel(snap, 'm1')!
    expect(m1.ext).toMatchObject({ cache: { ttlS: 300, anyTemperature: false } })
    expect(resolveModel(snap, 'm2')!.ext).toBeUndefined()
    expect(resolveModel(snap, 'x-anything')!.ext).toEqual({ cache: { ttlS: 10, anyTemperature: true }, plugins: undefined })
    const both = combineExtensions(m1.ext, who.ext)!
    expect(both.cache).toBe(false)
    expect(both.plugins!.map((p) => p.use)).toEqual(['deny-words', 'redact', 'max-tokens'])
  })

  it('bad settings are refused with their path', () => {
    const r = configFileSchema.safeParse({
      providers: [{ id: 'p1', type: 'openai' }],
      models: [{ name: 'm', targets: [{ provider: 'p1', model: 'x' }], cache: { ttl_s: -1 }, plugins: [{ use: 'Bad Name' }, { use: 'ok', on_error: 'maybe' }] }],
    })
    expect(r.success).toBe(false)
    const text = formatZodIssues(r.error!)
    expect(text).toContain('models[0].cache.ttl_s')
    expect(text).toContain('models[0].plugins[0].use: must be a plugin name')
    expect(text).toContain('models[0].plugins[1].on_error')
  })
})
