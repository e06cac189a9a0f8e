import { describe, expect, it } from 'vitest'
import { CODECS } from '../../../server/gateway/registry'
import { cacheKey, canonicalJson } from '../../../server/gateway/response-cache/key'
import { sampled, servable } from '../../../server/gateway/response-cache/cache-entry'
import type { Resolution } from '../../../server/gateway/routing/resolve'
import type { ProviderRuntime } from '../../../server/gateway/routing/snapshot'
import type { IRResponse } from '../../../server/gateway/ir'

const provider = (id: string) => ({ id, dialect: 'openai-chat' }) as ProviderRuntime
const resolution = (...targets: string[]): Resolution => ({
  rule: 'model:cached',
  why: '',
  explain: { code: 'model', params: { entry: 'cached', provider: targets[0]!.split('/')[0]!, model: targets[0]!.split('/')[1]!, targets: targets.length, fallbacks: 0 } },
  targets: targets.map((t) => ({ provider: provider(t.split('/')[0]!), model: t.split('/')[1]!, role: 'target' as const })),
})
const R = resolution('p1/m1', 'p2/m2')

const chat = (body: Record<string, unknown>) => CODECS['openai-chat'].decodeRequest({ model: 'cached', ...body })
const anthropic = (body: Record<string, unknown>) => CODECS.anthropic.decodeRequest({ model: 'cached', max_tokens: 100, ...body })

describe('response cache key', () => {
  it('the same question through Chat and Anthropic gives the same key (system prompt, user text, output limit aside)', () => {
    const a = chat({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What is 2+2?' }], stream: true })
    const b = anthropic({ system: 'Be brief.', messages: [{ role: 'user', content: 'What is 2+2?' }] })
    expect(cacheKey(a, R)).toBe(cacheKey(b, R))
  })

  it('another question, another parameter or another target gives another key', () => {
    const base = chat({ messages: [{ role: 'user', content: 'What is 2+2?' }] })
    const k = cacheKey(base, R)
    expect(cacheKey(chat({ messages: [{ role: 'user', content: 'What is 2+3?' }] }), R)).not.toBe(k)
    expect(cacheKey(chat({ messages: [{ role: 'user', content: 'What is 2+2?' }], temperature: 0 }), R)).not.toBe(k)
    expect(cacheKey(chat({ messages: [{ role: 'user', content: 'What is 2+2?' }], tools: [{ type: 'function', function: { name: 'f', parameters: {} } }] }), R)).not.toBe(k)
    expect(cacheKey(base, resolution('p1/m1'))).not.toBe(k)
    // The weighted pick's order does not matter.
    expect(cacheKey(base, resolution('p2/m2', 'p1/m1'))).toBe(k)
  })

  it('canonical JSON sorts keys and leaves out undefined, empty lists and records, and prompt-caching hints', () => {
    expect(canonicalJson({ b: 1, a: [{ y: undefined, x: 'v', cacheControl: { type: 'ephemeral' } }], c: [], d: { gemini: {} } })).toBe('{"a":[{"x":"v"}],"b":1}')
  })

  it('the Gemini SDK’s shape of the same question gives the same key too', () => {
    const a = chat({ messages: [{ role: 'user', content: 'What is 2+2?' }], max_tokens: 100 })
    const g = CODECS.gemini.decodeRequest({ contents: [{ role: 'user', parts: [{ text: 'What is 2+2?' }] }], generationConfig: { maxOutputTokens: 100 } }, { model: 'cached', stream: true })
    expect(cacheKey(g, R)).toBe(cacheKey(a, R))
  })
})

describe('which entries answer which requests', () => {
  const answer = (finish: 'stop' | 'length', outputTokens: number): IRResponse => ({ id: 'r', model: 'm', created: 0, parts: [], finish: { unified: finish }, usage: { inputTokens: 1, outputTokens } })
  const req = (maxTokens?: number) => ({ ...chat({ messages: [{ role: 'user', content: 'q' }] }), maxTokens })

  it('a complete answer serves any limit it fits under; a cut-off one only its own limit', () => {
    expect(servable({ response: answer('stop', 50), maxTokens: 100 }, req(undefined))).toBe(true)
    expect(servable({ response: answer('stop', 50), maxTokens: 100 }, req(60))).toBe(true)
    expect(servable({ response: answer('stop', 50), maxTokens: 100 }, req(40))).toBe(false)
    expect(servable({ response: answer('length', 100), maxTokens: 100 }, req(100))).toBe(true)
    expect(servable({ response: answer('length', 100), maxTokens: 100 }, req(200))).toBe(false)
  })

  it('only an explicit non-zero temperature counts as asking for variety', () => {
    expect(sampled(chat({ messages: [{ role: 'user', content: 'q' }] }))).toBe(false)
    expect(sampled(chat({ messages: [{ role: 'user', content: 'q' }], temperature: 0 }))).toBe(false)
    expect(sampled(chat({ messages: [{ role: 'user', content: 'q' }], temperature: 0.7 }))).toBe(true)
  })
})
