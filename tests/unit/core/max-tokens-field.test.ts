import { describe, expect, it } from 'vitest'
import { maxTokensFieldFor } from '../../../server/gateway/upstream/max-tokens-field'
import { buildSnapshot } from '../../../server/gateway/routing/snapshot'
import { CODECS } from '../../../server/gateway/registry'
import type { StoredConfig } from '../../../server/services/db/config-repo'

// OpenAI's reasoning models answer `max_tokens` with a 400 ("Use 'max_completion_tokens' instead");
// most compatible servers only know `max_tokens`. The upstream's host decides.
describe('the output-token limit field for Chat Completions upstreams', () => {
  it('OpenAI, Azure OpenAI and Alibaba Model Studio get max_completion_tokens; compatible servers max_tokens', () => {
    expect(maxTokensFieldFor('https://api.openai.com')).toBe('max_completion_tokens')
    expect(maxTokensFieldFor('https://my-res.openai.azure.com')).toBe('max_completion_tokens')
    expect(maxTokensFieldFor('https://dashscope-intl.aliyuncs.com')).toBe('max_completion_tokens')
    for (const o of ['https://api.deepseek.com', 'http://127.0.0.1:11434', 'https://openrouter.ai', 'https://api.openai.com.evil.example', 'not a url'])
      expect([o, maxTokensFieldFor(o)]).toEqual([o, 'max_tokens'])
  })

  it('the snapshot fixes it per provider: the default OpenAI base URL and a DeepSeek one differ', () => {
    const p = (id: string, baseUrl: string | null) => ({ id, type: 'openai', baseUrl, keyStrategy: 'round-robin', authHeader: null, authTemplate: null, headers: {}, timeoutMs: 1000, enabled: true, source: 'db', capabilities: null, keys: [] })
    const cfg = { providers: [p('oa', null), p('ds', 'https://api.deepseek.com/v1')], models: [], routes: [], clientKeys: [], defaultProvider: null } as unknown as StoredConfig
    const snap = buildSnapshot(cfg, 'h')
    expect(snap.providers.get('oa')?.maxTokensField).toBe('max_completion_tokens')
    expect(snap.providers.get('ds')?.maxTokensField).toBe('max_tokens')
  })

  it('an Anthropic request converted for each: the limit lands in the field the upstream reads, and only there', () => {
    const ir = CODECS.anthropic.decodeRequest({ model: 'claude-x', max_tokens: 321, messages: [{ role: 'user', content: 'hi' }] })
    const toOpenAI = CODECS['openai-chat'].encodeRequest({ ...ir, model: 'gpt-5' }, { maxTokensField: 'max_completion_tokens' }).body
    expect(toOpenAI.max_completion_tokens).toBe(321)
    expect(toOpenAI).not.toHaveProperty('max_tokens')
    const toDeepSeek = CODECS['openai-chat'].encodeRequest({ ...ir, model: 'deepseek-chat' }).body
    expect(toDeepSeek.max_tokens).toBe(321)
    expect(toDeepSeek).not.toHaveProperty('max_completion_tokens')
  })
})
