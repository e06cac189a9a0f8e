import { describe, expect, it } from 'vitest'
import { azureOpenAI } from '../../../server/gateway/providers/azure-openai'
import { buildSnapshot } from '../../../server/gateway/routing/snapshot'
import { upstreamHeaders } from '../../../server/gateway/upstream/auth-headers'
import { createStreamDecoder } from '../../../server/gateway/dialects/openai-chat/decode-stream'
import { providerSchema } from '../../../shared/schemas/config-file'
import type { StoredConfig } from '../../../server/services/db/config-repo'

const call = (dialect: 'openai-chat' | 'openai-responses', op: 'generate' | 'embeddings' | 'count_tokens', model = 'my-gpt4o') => ({ dialect, op, model, stream: false })

describe('Azure OpenAI URLs (issue 18 item 2)', () => {
  it('with api_version: deployment URLs with api-version as the only query parameter', () => {
    const o = { api_version: '2024-10-21' }
    expect(azureOpenAI.path(call('openai-chat', 'generate'), o)).toBe('openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21')
    expect(azureOpenAI.path(call('openai-chat', 'embeddings', 'emb/x'), o)).toBe('openai/deployments/emb%2Fx/embeddings?api-version=2024-10-21')
    expect(azureOpenAI.path(call('openai-responses', 'generate'), { api_version: '2025-04-01-preview' })).toBe('openai/responses?api-version=2025-04-01-preview')
    expect(azureOpenAI.path(call('openai-chat', 'count_tokens'), o)).toBeUndefined()
  })

  it('without api_version: the /openai/v1/ paths', () => {
    expect(azureOpenAI.path(call('openai-chat', 'generate'), {})).toBe('openai/v1/chat/completions')
    expect(azureOpenAI.path(call('openai-responses', 'generate'), {})).toBe('openai/v1/responses')
    expect(azureOpenAI.path(call('openai-chat', 'embeddings'), {})).toBe('openai/v1/embeddings')
    expect(azureOpenAI.models!({})!.page(undefined)).toBe('openai/v1/models')
    expect(azureOpenAI.models!({ api_version: 'v' })!.probe).toBe('openai/models?api-version=v')
  })

  it('speaks Responses to a Responses client and Chat to everyone else', () => {
    expect(['openai-chat', 'openai-responses', 'anthropic', 'gemini'].map((c) => azureOpenAI.dialectFor('m', c as never))).toEqual(['openai-chat', 'openai-responses', 'openai-chat', 'openai-chat'])
  })

  it('authenticates with api-key and sends max_completion_tokens whatever the host', async () => {
    const cfg: StoredConfig = {
      providers: [
        { id: 'az', type: 'azure-openai', baseUrl: 'http://127.0.0.1:9/azure', options: { api_version: '2024-10-21' }, keyStrategy: 'round-robin', authHeader: null, authTemplate: null, headers: {}, timeoutMs: 1000, enabled: true, source: 'db', capabilities: null, keys: [{ id: 1, name: null, key: 'azkey', hash: 'h', hint: '', fingerprint: '', weight: 1, maxConcurrency: null, enabled: true }] },
      ],
      models: [],
      routes: [],
      clientKeys: [],
      defaultProvider: null,
    }
    const p = buildSnapshot(cfg, '').providers.get('az')!
    expect([p.origin, p.basePath, p.maxTokensField]).toEqual(['http://127.0.0.1:9', '/azure/', 'max_completion_tokens'])
    expect(await upstreamHeaders(p, p.keys[0], 'openai-chat', undefined)).toEqual({ 'content-type': 'application/json', 'api-key': 'azkey' })
    cfg.providers[0]!.baseUrl = 'https://res.openai.azure.com/openai/v1/'
    expect(buildSnapshot(cfg, '').providers.get('az')!.baseUrl).toBe('https://res.openai.azure.com/')
  })

  it('the config needs base_url and refuses settings of other types', () => {
    expect(providerSchema.safeParse({ id: 'az', type: 'azure-openai', keys: ['k'] }).error?.issues.map((i) => i.path.join('.'))).toEqual(['base_url'])
    expect(providerSchema.safeParse({ id: 'az', type: 'azure-openai', base_url: 'https://r.openai.azure.com', project: 'p' }).error?.issues[0]?.message).toBe("is not a setting of type 'azure-openai'")
    expect(providerSchema.parse({ id: 'az', type: 'azure-openai', base_url: 'https://r.openai.azure.com', api_version: '2024-10-21' }).api_version).toBe('2024-10-21')
  })

  it("tolerates Azure's first stream chunk: only prompt_filter_results, choices: []", () => {
    const d = createStreamDecoder()
    const filter = { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: 'safe' } } }] }
    expect(d.push({ data: JSON.stringify(filter) } as never)).toEqual([])
    const first = d.push({ data: JSON.stringify({ id: 'chatcmpl-1', created: 5, model: 'gpt-4o', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, content_filter_results: {} }] }) } as never)
    expect(first).toEqual([{ type: 'start', id: 'chatcmpl-1', model: 'gpt-4o', created: 5 }, { type: 'text-start', index: 0 }, { type: 'text-delta', index: 0, text: 'Hi' }])
    expect(d.unparseable()).toBe(0)
  })
})
