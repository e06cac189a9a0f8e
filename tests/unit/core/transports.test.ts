import { describe, expect, it } from 'vitest'
import { TRANSPORTS } from '../../../server/gateway/registry'
import { PROVIDER_TRANSPORTS } from '../../../server/gateway/providers'
import { doorFor } from '../../../server/gateway/http/doors'
import { dialectOfPath } from '../../../server/gateway/http/path-dialect'
import { buildSnapshot } from '../../../server/gateway/routing/snapshot'
import { upstreamHeaders } from '../../../server/gateway/upstream/auth-headers'
import type { StoredConfig } from '../../../server/services/db/config-repo'
import type { UpstreamCall } from '../../../server/gateway/transport'

const call = (over: Partial<UpstreamCall>): UpstreamCall => ({ dialect: 'openai-chat', op: 'generate', model: 'm', stream: false, ...over })

/** Issue 18 item 1: each dialect's wire facts live in its own transport.ts; the gateway only reads them. */
describe('dialect transports', () => {
  it('build each vendor endpoint path', () => {
    expect(TRANSPORTS['openai-chat'].path(call({}))).toBe('chat/completions')
    expect(TRANSPORTS['openai-chat'].path(call({ op: 'embeddings' }))).toBe('embeddings')
    expect(TRANSPORTS['openai-chat'].path(call({ op: 'count_tokens' }))).toBeUndefined()
    expect(TRANSPORTS['openai-responses'].path(call({ dialect: 'openai-responses' }))).toBe('responses')
    expect(TRANSPORTS.anthropic.path(call({ dialect: 'anthropic' }))).toBe('messages')
    expect(TRANSPORTS.anthropic.path(call({ dialect: 'anthropic', op: 'count_tokens' }))).toBe('messages/count_tokens')
    expect(TRANSPORTS.anthropic.path(call({ dialect: 'anthropic', op: 'embeddings' }))).toBeUndefined()
    expect(TRANSPORTS.gemini.path(call({ dialect: 'gemini', model: 'models/g/x', stream: true }))).toBe('models/g%2Fx:streamGenerateContent?alt=sse')
    expect(TRANSPORTS.gemini.path(call({ dialect: 'gemini', model: 'g', op: 'count_tokens' }))).toBe('models/g:countTokens')
    expect(TRANSPORTS.gemini.path(call({ dialect: 'gemini', model: 'e', op: 'embeddings' }))).toBe('models/e:batchEmbedContents')
  })

  it('read each vendor model list page, with its cursor', () => {
    expect(TRANSPORTS.anthropic.models.read({ data: [{ id: 'claude-x', display_name: 'Claude X', created_at: '2025-01-01T00:00:00Z' }], has_more: true, last_id: 'claude-x' })).toEqual({
      models: [{ id: 'claude-x', displayName: 'Claude X', created: 1735689600 }],
      next: 'claude-x',
    })
    expect(TRANSPORTS.anthropic.models.page('a b')).toBe('models?limit=1000&after_id=a%20b')
    expect(TRANSPORTS.gemini.models.read({ models: [{ name: 'models/gemini-x', supportedGenerationMethods: ['generateContent'] }] })).toEqual({
      models: [{ id: 'gemini-x', displayName: undefined, methods: ['generateContent'] }],
      next: undefined,
    })
    expect(TRANSPORTS['openai-chat'].models.read({ data: [{ id: 'gpt', created: 5 }, 'junk'] })).toEqual({ models: [{ id: 'gpt', created: 5 }] })
  })

  it('own the public doors: every exact door path routes to its dialect, and errors speak it', () => {
    for (const [name, t] of Object.entries(TRANSPORTS))
      for (const path of Object.keys(t.doors.exact)) {
        expect(doorFor(path)).toMatchObject({ dialect: name })
        expect(dialectOfPath(path)).toBe(name === 'openai-responses' ? 'openai-chat' : name)
      }
    expect(dialectOfPath('/v1beta/models/x:generateContent')).toBe('gemini')
    expect(dialectOfPath('/v1/models/x:countTokens')).toBe('gemini')
  })
})

describe('provider types', () => {
  const cfg = (type: StoredConfig['providers'][number]['type'], over: Partial<StoredConfig['providers'][number]> = {}): StoredConfig => ({
    providers: [
      { id: 'p', type, baseUrl: null, keyStrategy: 'round-robin', authHeader: null, authTemplate: null, headers: {}, timeoutMs: 1000, enabled: true, source: 'db', capabilities: null, keys: [{ id: 1, name: null, key: 'sk-1', hash: 'h', hint: '', fingerprint: '', weight: 1, maxConcurrency: null, enabled: true }], ...over },
    ],
    models: [],
    routes: [],
    clientKeys: [],
    defaultProvider: null,
  })

  it('map each type to its dialect and its transport', () => {
    expect(Object.fromEntries(Object.entries(PROVIDER_TRANSPORTS).map(([k, t]) => [k, t.dialect]))).toMatchObject({
      openai: 'openai-chat',
      'openai-responses': 'openai-responses',
      anthropic: 'anthropic',
      gemini: 'gemini',
    })
  })

  it('take the default base URL and auth header from the transport; a provider auth overrides it', async () => {
    const an = buildSnapshot(cfg('anthropic'), '').providers.get('p')!
    expect(an.baseUrl).toBe('https://api.anthropic.com/v1/')
    expect(await upstreamHeaders(an, an.keys[0], 'anthropic', undefined)).toEqual({ 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-1' })
    const custom = buildSnapshot(cfg('openai', { authHeader: 'X-Key', authTemplate: 'Token {key}', headers: { 'X-Org': 'o' } }), '').providers.get('p')!
    expect(await upstreamHeaders(custom, custom.keys[0], 'openai-chat', { 'x-extra': '1' })).toEqual({ 'content-type': 'application/json', 'x-org': 'o', 'x-key': 'Token sk-1', 'x-extra': '1' })
  })
})
