import { describe, expect, it } from 'vitest'
import { buildSnapshot } from '../../../server/gateway/routing/snapshot'
import { mergeModelLists, geminiModel, anthropicModelList } from '../../../server/gateway/model-list'
import { ModelCatalog } from '../../../server/services/model-catalog'
import type { StoredConfig } from '../../../server/services/db/config-repo'
import { hashKey } from '../../../server/services/security/hashing'

const provider = (id: string, type: 'openai' | 'anthropic' | 'gemini', enabled = true) => ({
  id, type, baseUrl: null, keyStrategy: 'round-robin', authHeader: null, authTemplate: null, headers: {}, timeoutMs: 1000, enabled, source: 'file', capabilities: null,
  keys: [{ id: 1, name: null, key: `k-${id}`, hash: hashKey(`k-${id}`), hint: 'k', fingerprint: 'f', weight: 1, maxConcurrency: null, enabled: true }],
})
const route = (name: string, pattern: string, providerId: string, priority: number, modelTemplate = '{model}') => ({
  name, matchType: 'prefix' as const, pattern, providerId, modelTemplate, priority, enabled: true, position: priority, source: 'file',
})

const cfg: StoredConfig = {
  providers: [provider('oa', 'openai'), provider('an', 'anthropic'), provider('gm', 'gemini'), provider('off', 'openai', false)],
  models: [{ name: 'smart', targets: [{ provider: 'an', model: 'claude-x', weight: 1 }], fallbacks: [], enabled: true, source: 'file' }],
  routes: [route('claude', 'claude-', 'an', 10), route('gem', 'gemini-', 'gm', 10), route('renamed', 'alias-', 'oa', 10, 'gpt-4o')],
  clientKeys: [],
  defaultProvider: 'oa',
}

describe('merging provider model lists with the configured entries', () => {
  const snap = buildSnapshot(cfg, hashKey('admin'))

  it('lists entries first, then each offered model only where routing would send that very name', () => {
    const offered = new Map([
      ['oa', [{ id: 'gpt-4o' }, { id: 'claude-via-openai' }, { id: 'alias-x' }, { id: 'text-embedding-3-small', created: 5 }]],
      ['an', [{ id: 'claude-sonnet-4-5', displayName: 'Claude Sonnet 4.5' }, { id: 'smart' }]],
      ['gm', [{ id: 'gemini-2.5-flash', methods: ['generateContent', 'countTokens'] }, { id: 'gpt-4o' }]],
    ])
    const out = mergeModelLists(snap, offered)
    expect(out).toEqual([
      { id: 'smart', ownedBy: 'rosetta' },
      // default provider: any name it offers reaches it unchanged
      { id: 'gpt-4o', ownedBy: 'oa', displayName: undefined, created: undefined, methods: undefined },
      { id: 'text-embedding-3-small', ownedBy: 'oa', displayName: undefined, created: 5, methods: undefined },
      { id: 'claude-sonnet-4-5', ownedBy: 'an', displayName: 'Claude Sonnet 4.5', created: undefined, methods: undefined },
      { id: 'gemini-2.5-flash', ownedBy: 'gm', displayName: undefined, created: undefined, methods: ['generateContent', 'countTokens'] },
    ])
    // 'claude-via-openai' would go to Anthropic, 'alias-x' would reach oa as gpt-4o, 'smart' is an entry,
    // Gemini's 'gpt-4o' would reach oa: none is listed under the provider that offered it.
  })

  it('renders each dialect shape with apt Gemini methods', () => {
    expect(geminiModel({ id: 'text-embedding-3-small', ownedBy: 'oa' }).supportedGenerationMethods).toEqual(['embedContent', 'batchEmbedContents'])
    expect(geminiModel('smart').supportedGenerationMethods).toEqual(['generateContent', 'streamGenerateContent', 'countTokens'])
    expect(anthropicModelList([{ id: 'a', ownedBy: 'an', displayName: 'A', created: 0 }]).data[0]).toEqual({ type: 'model', id: 'a', display_name: 'A', created_at: '1970-01-01T00:00:00.000Z' })
  })
})

describe('the provider model catalog', () => {
  const snap = buildSnapshot(cfg, hashKey('admin'))

  it('fetches each enabled provider once per TTL, serves the stale list while refreshing, tolerates failures', async () => {
    const calls: string[] = []
    let fail = false
    const cat = new ModelCatalog(async (p) => {
      calls.push(p.id)
      if (fail && p.id === 'gm') throw new Error('down')
      return [{ id: `${p.id}-model-${calls.length}` }]
    }, 1000)
    const t0 = Date.now()
    const first = await cat.offered(snap, t0)
    expect([...first.keys()]).toEqual(['oa', 'an', 'gm'])
    expect(calls).toEqual(['oa', 'an', 'gm'])
    await cat.offered(snap, t0 + 10)
    expect(calls).toHaveLength(3)
    fail = true
    const stale = await cat.offered(snap, Date.now() + 5000)
    // stale lists served at once; refresh runs in the background
    expect(stale.get('gm')).toEqual([{ id: 'gm-model-3' }])
    await new Promise((r) => setTimeout(r, 10))
    const after = await cat.offered(snap, Date.now())
    expect(after.get('gm')).toEqual([{ id: 'gm-model-3' }])
    expect(after.get('oa')).toEqual([{ id: 'oa-model-4' }])
  })
})
