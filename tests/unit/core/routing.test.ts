import { describe, expect, it } from 'vitest'
import { buildSnapshot, authenticate, globToRegExp } from '../../../server/gateway/routing/snapshot'
import { resolveModel } from '../../../server/gateway/routing/resolve'
import type { StoredConfig } from '../../../server/services/db/config-repo'
import { hashKey } from '../../../server/services/security/hashing'

const provider = (id: string, type: 'openai' | 'anthropic' | 'gemini', enabled = true, keys = ['k1', 'k2', 'k3']) => ({
  id,
  type,
  baseUrl: null,
  keyStrategy: 'round-robin',
  authHeader: null,
  authTemplate: null,
  headers: { 'X-Org': 'acme' },
  timeoutMs: 1000,
  enabled,
  source: 'file',
  capabilities: null,
  keys: keys.map((k, i) => ({ id: i + 1, name: null, key: k, hash: hashKey(k), hint: k, fingerprint: k, weight: 1, maxConcurrency: null, enabled: k !== 'off' })),
})

const route = (name: string, matchType: 'exact' | 'prefix' | 'keyword' | 'regex', pattern: string, providerId: string, priority: number, position: number, enabled = true) => ({
  name,
  matchType,
  pattern,
  providerId,
  modelTemplate: '{model}',
  priority,
  enabled,
  position,
  source: 'file',
})

const NO_LIMITS = { owner: null, expiresAt: null, rpm: null, tpm: null, dayTokens: null, monthTokens: null, dayUsd: null, monthUsd: null }
const cfg: StoredConfig = {
  providers: [provider('oa', 'openai'), provider('an', 'anthropic'), provider('gm', 'gemini'), provider('off', 'openai', false)],
  models: [
    { name: 'smart', targets: [{ provider: 'an', model: 'claude-x', weight: 1 }], fallbacks: [{ provider: 'gm', model: 'gemini-y', weight: 1 }], enabled: true, source: 'file' },
    { name: 'disabled-entry', targets: [{ provider: 'an', model: 'c', weight: 1 }], fallbacks: [], enabled: false, source: 'file' },
  ],
  routes: [
    route('low-claude', 'keyword', 'claude', 'oa', 1, 0),
    route('claude', 'keyword', 'CLAUDE', 'an', 10, 1),
    route('tie-first', 'prefix', 'gem', 'gm', 5, 2),
    route('tie-second', 'regex', '^gem', 'oa', 5, 3),
    route('off-route', 'exact', 'o3', 'an', 100, 4, false),
    route('to-disabled', 'exact', 'x1', 'off', 100, 5),
  ],
  clientKeys: [
    { ...NO_LIMITS, name: 'ci', keyHash: hashKey('rk-ci'), hint: 'rk-ci', models: ['gpt-*', 'smart'], enabled: true, source: 'file' },
    { ...NO_LIMITS, name: 'gone', keyHash: hashKey('rk-gone'), hint: 'rk-gone', models: null, enabled: false, source: 'file' },
  ],
  defaultProvider: 'oa',
}

describe('model resolution', () => {
  const snap = buildSnapshot(cfg, hashKey('admin'))

  it('an exact model entry wins, with its fallbacks after its targets', () => {
    const r = resolveModel(snap, 'smart')!
    expect(r.rule).toBe('model:smart')
    expect(r.targets.map((t) => [t.provider.id, t.model])).toEqual([
      ['an', 'claude-x'],
      ['gm', 'gemini-y'],
    ])
  })

  it('routes go by priority (keyword match is case-insensitive), ties by definition order', () => {
    expect(resolveModel(snap, 'claude-sonnet')!.rule).toBe('route:claude')
    expect(resolveModel(snap, 'gemini-pro')!.rule).toBe('route:tie-first')
  })

  it('disabled routes, entries and providers are skipped; the default provider is last', () => {
    expect(resolveModel(snap, 'o3')!.rule).toBe('default')
    expect(resolveModel(snap, 'disabled-entry')!.rule).toBe('default')
    expect(resolveModel(snap, 'x1')!.rule).toBe('default')
    expect(resolveModel(snap, 'anything')!.targets[0]!.model).toBe('anything')
  })

  it('a forced provider skips routing; a disabled or unknown one resolves to nothing', () => {
    expect(resolveModel(snap, 'smart', 'gm')!.targets.map((t) => [t.provider.id, t.model])).toEqual([['gm', 'smart']])
    expect(resolveModel(snap, 'smart', 'off')).toBeUndefined()
    expect(resolveModel(snap, 'smart', 'ghost')).toBeUndefined()
  })

  it('nothing matches without a default provider', () => {
    const s = buildSnapshot({ ...cfg, defaultProvider: null }, 'h')
    expect(resolveModel(s, 'unknown-model')).toBeUndefined()
  })

  it('route model templates rewrite the name', () => {
    const s = buildSnapshot({ ...cfg, routes: [{ ...route('ds', 'prefix', 'ds-', 'oa', 1, 0), modelTemplate: 'deepseek/{model}' }] }, 'h')
    expect(resolveModel(s, 'ds-chat')!.targets[0]!.model).toBe('deepseek/ds-chat')
  })

  it('disabled keys are not in the pool', () => {
    const s = buildSnapshot({ ...cfg, providers: [provider('oa', 'openai', true, ['a', 'off', 'b'])] }, 'h')
    expect(s.providers.get('oa')!.keys.map((k) => k.key)).toEqual(['a', 'b'])
  })

  it('explains its decision', () => {
    expect(resolveModel(snap, 'claude-3')!.why).toBe(`route 'claude' (keyword "CLAUDE", priority 10) → an/claude-3`)
    expect(resolveModel(snap, 'smart')!.why).toContain("model entry 'smart' → an/claude-x")
  })

  it('weighted targets are picked in proportion to their weights', () => {
    const s = buildSnapshot(
      {
        ...cfg,
        models: [
          {
            name: 'w',
            targets: [
              { provider: 'oa', model: 'a', weight: 3 },
              { provider: 'an', model: 'b', weight: 1 },
            ],
            fallbacks: [],
            enabled: true,
            source: 'db',
          },
        ],
      },
      'h',
    )
    let a = 0
    const N = 10_000
    for (let i = 0; i < N; i++) if (resolveModel(s, 'w')!.targets[0]!.model === 'a') a++
    expect(a / N).toBeGreaterThan(0.72)
    expect(a / N).toBeLessThan(0.78)
    // The other target always follows as a failover candidate.
    expect(resolveModel(s, 'w')!.targets).toHaveLength(2)
  })

  it('default auth and base URL follow the provider type; header names are lower-cased', () => {
    expect(snap.providers.get('an')).toMatchObject({ auth: { header: 'x-api-key', template: '{key}' }, baseUrl: 'https://api.anthropic.com/v1/', headers: { 'x-org': 'acme' } })
    expect(snap.providers.get('gm')).toMatchObject({ auth: { header: 'x-goog-api-key', template: '{key}' }, baseUrl: 'https://generativelanguage.googleapis.com/v1beta/' })
    expect(snap.providers.get('oa')).toMatchObject({ auth: { header: 'authorization', template: 'Bearer {key}' } })
  })
})

describe('client authentication', () => {
  const snap = buildSnapshot(cfg, hashKey('admin-secret'))
  it('knows the admin key, enabled client keys and their allow-lists', () => {
    expect(authenticate(snap, 'admin-secret')).toEqual({ kind: 'admin', name: 'admin' })
    const ci = authenticate(snap, 'rk-ci')!
    expect(ci.name).toBe('ci')
    expect(ci.allow!.some((re) => re.test('gpt-4o'))).toBe(true)
    expect(ci.allow!.some((re) => re.test('claude'))).toBe(false)
    expect(authenticate(snap, 'rk-gone')).toBeUndefined()
    expect(authenticate(snap, 'nope')).toBeUndefined()
  })

  it('globs are anchored and escape regex characters', () => {
    expect(globToRegExp('gpt-4.1*').test('gpt-4.1-mini')).toBe(true)
    expect(globToRegExp('gpt-4.1*').test('gpt-4x1')).toBe(false)
    expect(globToRegExp('smart').test('smarter')).toBe(false)
  })
})
