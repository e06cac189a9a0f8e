import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { Database } from '../../../server/services/db/database'
import { SecretBox } from '../../../server/services/security/secret-box'
import { applyConfigFile, loadStoredConfig } from '../../../server/services/db/config-repo'
import { parseConfigText } from '../../../server/services/config/load-file'
import { buildSnapshot, type ProviderRuntime } from '../../../server/gateway/routing/snapshot'
import { CODECS, UPSTREAM_CODECS } from '../../../server/gateway/registry'
import { upstreamHeaders } from '../../../server/gateway/upstream/auth-headers'
import { PRESETS } from '../../../shared/presets'

/**
 * Every preset, checked against its vendor's documented request shape: the URL its base URL and
 * dialect produce, the auth header, and — for OpenAI-compatible vendors — what a converted request
 * (a Claude Code turn: thinking with a budget, a forced tool choice, streaming, earlier reasoning in
 * the history) looks like after the preset's quirk switches. The shapes below are the vendors'
 * documentation (links in shared/presets/vendors/), not Rosetta's output copied back.
 */

type Body = Record<string, unknown>
interface ChatShape {
  url: string
  /** The output-limit field the vendor documents (the other one must be absent). */
  tokens: 'max_tokens' | 'max_completion_tokens'
  /** The thinking fields the vendor documents for "think, with a 10k budget". */
  thinking: (b: Body) => boolean
  /** Whether `stream_options` may be sent. */
  streamOptions: boolean
  /** The fields an assistant history message may carry. */
  assistantFields: string[]
  /** The tool_choice values the vendor accepts (undefined: the field must be absent). */
  toolChoice?: unknown[]
  auth: [string, string]
}

const noThinkingFields = (b: Body) => !('reasoning_effort' in b) && !('thinking' in b) && !('enable_thinking' in b) && !('reasoning' in b) && !('chat_template_kwargs' in b)
const STD = ['role', 'content', 'tool_calls']
const bearer: [string, string] = ['authorization', 'Bearer sk-test-key-0001']
const ALL_CHOICES = ['none', 'auto', 'required', { type: 'function', function: { name: 'get_weather' } }]

const CHAT: Record<string, ChatShape> = {
  // platform.openai.com/docs/api-reference/chat: max_completion_tokens, reasoning_effort, strict message schema.
  openai: { url: 'https://api.openai.com/v1/chat/completions', tokens: 'max_completion_tokens', thinking: (b) => b.reasoning_effort === 'high', streamOptions: true, assistantFields: STD, toolChoice: ALL_CHOICES, auth: bearer },
  // api-docs.deepseek.com: thinking {type}, reasoning_content.
  deepseek: { url: 'https://api.deepseek.com/v1/chat/completions', tokens: 'max_tokens', thinking: (b) => JSON.stringify(b.thinking) === '{"type":"enabled"}', streamOptions: true, assistantFields: [...STD, 'reasoning_content'], toolChoice: ALL_CHOICES, auth: bearer },
  // Model Studio: enable_thinking + thinking_budget, max_completion_tokens.
  qwen: { url: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions', tokens: 'max_completion_tokens', thinking: (b) => b.enable_thinking === true && b.thinking_budget === 10_000, streamOptions: true, assistantFields: [...STD, 'reasoning_content'], toolChoice: ALL_CHOICES, auth: bearer },
  // docs.z.ai: thinking {type}; tool_choice only "auto".
  glm: { url: 'https://api.z.ai/api/paas/v4/chat/completions', tokens: 'max_tokens', thinking: (b) => JSON.stringify(b.thinking) === '{"type":"enabled"}', streamOptions: true, assistantFields: [...STD, 'reasoning_content'], toolChoice: ['auto'], auth: bearer },
  // Kimi: thinking is a model (kimi-k2-thinking); reasoning_content.
  kimi: { url: 'https://api.moonshot.ai/v1/chat/completions', tokens: 'max_tokens', thinking: noThinkingFields, streamOptions: true, assistantFields: [...STD, 'reasoning_content'], toolChoice: ALL_CHOICES, auth: bearer },
  // Ark: thinking {type: enabled|disabled|auto}.
  doubao: { url: 'https://ark.ap-southeast.bytepluses.com/api/v3/chat/completions', tokens: 'max_tokens', thinking: (b) => JSON.stringify(b.thinking) === '{"type":"enabled"}', streamOptions: true, assistantFields: [...STD, 'reasoning_content'], toolChoice: ALL_CHOICES, auth: bearer },
  // SiliconFlow: enable_thinking + thinking_budget.
  siliconflow: { url: 'https://api.siliconflow.com/v1/chat/completions', tokens: 'max_tokens', thinking: (b) => b.enable_thinking === true && b.thinking_budget === 10_000, streamOptions: true, assistantFields: [...STD, 'reasoning_content'], toolChoice: ALL_CHOICES, auth: bearer },
  // OpenRouter: reasoning {max_tokens}; assistant `reasoning`.
  openrouter: { url: 'https://openrouter.ai/api/v1/chat/completions', tokens: 'max_tokens', thinking: (b) => JSON.stringify(b.reasoning) === '{"max_tokens":10000}', streamOptions: true, assistantFields: [...STD, 'reasoning'], toolChoice: ALL_CHOICES, auth: bearer },
  // Groq: max_completion_tokens, reasoning_effort, no reasoning fields in messages.
  groq: { url: 'https://api.groq.com/openai/v1/chat/completions', tokens: 'max_completion_tokens', thinking: (b) => b.reasoning_effort === 'high', streamOptions: true, assistantFields: STD, toolChoice: ALL_CHOICES, auth: bearer },
  // Mistral: extra fields forbidden — no stream_options, no max_completion_tokens, no reasoning fields.
  mistral: { url: 'https://api.mistral.ai/v1/chat/completions', tokens: 'max_tokens', thinking: noThinkingFields, streamOptions: false, assistantFields: STD, toolChoice: ALL_CHOICES, auth: bearer },
  // xAI: Grok 4 refuses reasoning_effort.
  xai: { url: 'https://api.x.ai/v1/chat/completions', tokens: 'max_tokens', thinking: noThinkingFields, streamOptions: true, assistantFields: [...STD, 'reasoning_content'], toolChoice: ALL_CHOICES, auth: bearer },
  together: { url: 'https://api.together.xyz/v1/chat/completions', tokens: 'max_tokens', thinking: (b) => b.reasoning_effort === 'high', streamOptions: true, assistantFields: [...STD, 'reasoning'], toolChoice: ALL_CHOICES, auth: bearer },
  fireworks: { url: 'https://api.fireworks.ai/inference/v1/chat/completions', tokens: 'max_tokens', thinking: (b) => b.reasoning_effort === 'high', streamOptions: true, assistantFields: [...STD, 'reasoning_content'], toolChoice: ALL_CHOICES, auth: bearer },
  // Ollama: tool_choice unsupported; `reasoning`.
  ollama: { url: 'http://localhost:11434/v1/chat/completions', tokens: 'max_tokens', thinking: (b) => b.reasoning_effort === 'high', streamOptions: true, assistantFields: [...STD, 'reasoning'], toolChoice: undefined, auth: bearer },
  // vLLM: chat_template_kwargs.enable_thinking.
  vllm: { url: 'http://localhost:8000/v1/chat/completions', tokens: 'max_tokens', thinking: (b) => JSON.stringify(b.chat_template_kwargs) === '{"enable_thinking":true}', streamOptions: true, assistantFields: [...STD, 'reasoning_content'], toolChoice: ALL_CHOICES, auth: bearer },
  lmstudio: { url: 'http://localhost:1234/v1/chat/completions', tokens: 'max_tokens', thinking: noThinkingFields, streamOptions: true, assistantFields: [...STD, 'reasoning_content'], toolChoice: ALL_CHOICES, auth: bearer },
}

/** Anthropic Messages and Gemini presets: the documented endpoint and auth header. */
const NATIVE: Record<string, { url: string; auth: [string, string] }> = {
  anthropic: { url: 'https://api.anthropic.com/v1/messages', auth: ['x-api-key', 'sk-test-key-0001'] },
  // api-docs.deepseek.com/guides/anthropic_api: base https://api.deepseek.com/anthropic.
  'deepseek-anthropic': { url: 'https://api.deepseek.com/anthropic/v1/messages', auth: ['x-api-key', 'sk-test-key-0001'] },
  // Kimi: base https://api.moonshot.ai/anthropic.
  'kimi-anthropic': { url: 'https://api.moonshot.ai/anthropic/v1/messages', auth: ['x-api-key', 'sk-test-key-0001'] },
  // Z.ai: base https://api.z.ai/api/anthropic, ANTHROPIC_AUTH_TOKEN (bearer).
  'glm-anthropic': { url: 'https://api.z.ai/api/anthropic/v1/messages', auth: ['authorization', 'Bearer sk-test-key-0001'] },
  gemini: { url: 'https://generativelanguage.googleapis.com/v1beta/models/m:generateContent', auth: ['x-goog-api-key', 'sk-test-key-0001'] },
}

/** The cloud types come from other branches (issue 18 items 2-4). */
const CLOUD = ['azure-openai', 'bedrock', 'vertex']

/** A Claude Code turn: thinking with a budget, a forced tool, streaming, earlier thinking in the history. */
/** Where the provider's transport sends a generate call for model `m` (the URL the request path builds). */
const urlOf = (rt: ProviderRuntime, dialect: ProviderRuntime['dialect'], stream: boolean) =>
  rt.baseUrl + (rt.transport.path({ dialect, op: 'generate', model: 'm', stream }, rt.options) ?? '(no endpoint)')

const CLAUDE_TURN = {
  model: 'm',
  max_tokens: 2048,
  stream: true,
  thinking: { type: 'enabled', budget_tokens: 10_000 },
  tool_choice: { type: 'any' },
  tools: [{ name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
  messages: [
    { role: 'user', content: 'Weather in Paris?' },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should call the tool.', signature: 'sig-1' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      ],
    },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '18C' }] },
  ],
}

let db: Database
let runtimes: Map<string, ProviderRuntime>
const testable = PRESETS.filter((p) => !CLOUD.includes(p.type))

beforeAll(async () => {
  db = await Database.open(':memory:')
  const box = new SecretBox(randomBytes(32))
  // Each preset as rosetta.yaml would name it: the preset and a key, nothing else.
  const yaml = `providers:\n${testable.map((p) => `  - { id: ${p.id}, preset: ${p.id}, keys: [sk-test-key-0001] }`).join('\n')}\n`
  await applyConfigFile(db, box, parseConfigText(yaml))
  runtimes = buildSnapshot(await loadStoredConfig(db, box), 'x').providers
})
afterAll(() => db.close())

const key = { id: 1, key: 'sk-test-key-0001', hash: 'h', hint: 'sk-…0001', fingerprint: 'f', weight: 1, maxConcurrency: null }

describe('every preset has a documented shape to be checked against', () => {
  it('no preset is left out of the tables', () => {
    for (const p of PRESETS) {
      const covered = p.type === 'openai' ? p.id in CHAT : p.id in NATIVE || CLOUD.includes(p.type)
      expect(covered, `preset ${p.id} has no documented shape in this test`).toBe(true)
    }
  })
})

describe.each(testable.filter((p) => p.type === 'openai').map((p) => [p.id]))('OpenAI-compatible preset %s', (id) => {
  it('a converted Claude Code turn has the vendor’s documented shape', async () => {
    const rt = runtimes.get(id)!
    const shape = CHAT[id]!
    const ir = CODECS.anthropic.decodeRequest(structuredClone(CLAUDE_TURN))
    const enc = CODECS['openai-chat'].encodeRequest({ ...ir, model: 'm' }, { maxTokensField: rt.maxTokensField, quirks: rt.quirks })
    const b = enc.body
    expect(urlOf(rt, 'openai-chat', true)).toBe(shape.url)
    const h = await upstreamHeaders(rt, key, 'openai-chat', undefined)
    expect(h[shape.auth[0]]).toBe(shape.auth[1])
    // The output limit in the documented field only.
    const other = shape.tokens === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens'
    expect(b[shape.tokens]).toBe(2048)
    expect(b).not.toHaveProperty(other)
    expect(shape.thinking(b), `thinking fields: ${JSON.stringify({ reasoning_effort: b.reasoning_effort, thinking: b.thinking, enable_thinking: b.enable_thinking, reasoning: b.reasoning, chat_template_kwargs: b.chat_template_kwargs })}`).toBe(true)
    expect('stream_options' in b).toBe(shape.streamOptions)
    const assistants = (b.messages as Body[]).filter((m) => m.role === 'assistant')
    expect(assistants).toHaveLength(1)
    for (const m of assistants) for (const f of Object.keys(m)) expect(shape.assistantFields, `assistant field ${f}`).toContain(f)
    // The earlier reasoning goes back wherever the vendor reads it (and nowhere else).
    const reasoningField = shape.assistantFields.find((f) => f.startsWith('reasoning'))
    if (reasoningField) expect(assistants[0]![reasoningField]).toBe('I should call the tool.')
    if (shape.toolChoice === undefined) expect(b).not.toHaveProperty('tool_choice')
    else expect(shape.toolChoice).toContainEqual(b.tool_choice)
  })
})

describe.each(Object.keys(NATIVE).map((id) => [id]))('native-dialect preset %s', (id) => {
  it('reaches the documented endpoint with the documented auth header', async () => {
    const rt = runtimes.get(id)!
    const shape = NATIVE[id]!
    const ir = CODECS.anthropic.decodeRequest({ ...structuredClone(CLAUDE_TURN), stream: false, tool_choice: { type: 'auto' } })
    expect(() => UPSTREAM_CODECS[rt.dialect].encodeRequest({ ...ir, model: 'm' })).not.toThrow()
    expect(urlOf(rt, rt.dialect, false)).toBe(shape.url)
    expect((await upstreamHeaders(rt, key, rt.dialect, undefined))[shape.auth[0]]).toBe(shape.auth[1])
  })
})

describe('quirk overrides', () => {
  it('a provider’s own quirks: block wins over its preset’s', async () => {
    const box = new SecretBox(randomBytes(32))
    const db2 = await Database.open(':memory:')
    try {
      await applyConfigFile(
        db2,
        box,
        parseConfigText('providers:\n  - { id: local, preset: vllm, base_url: "http://gpu:8000/v1", quirks: { thinking: enable_thinking, stream_usage: false, tool_choice: auto } }\n'),
      )
      const rt = buildSnapshot(await loadStoredConfig(db2, box), 'x').providers.get('local')!
      const req = { ...CODECS.anthropic.decodeRequest(structuredClone(CLAUDE_TURN)), model: 'm' }
      const b = CODECS['openai-chat'].encodeRequest(req, { maxTokensField: rt.maxTokensField, quirks: rt.quirks }).body
      expect(b.enable_thinking).toBe(true)
      expect(b).not.toHaveProperty('chat_template_kwargs')
      expect(b).not.toHaveProperty('stream_options')
      expect(b.tool_choice).toBe('auto')
      expect(req.warnings?.map((w) => `${w.code}=${w.field}`)).toContain('changed=tool_choice')
      expect(rt.baseUrl).toBe('http://gpu:8000/v1/')
    } finally {
      db2.close()
    }
  })

  it('a provider without a preset keeps the behaviour from before presets (host-chosen limit field, reasoning_effort, reasoning_content)', async () => {
    const box = new SecretBox(randomBytes(32))
    const db2 = await Database.open(':memory:')
    try {
      await applyConfigFile(db2, box, parseConfigText('providers:\n  - { id: plain, type: openai, base_url: "https://dashscope.aliyuncs.com/compatible-mode/v1" }\n'))
      const rt = buildSnapshot(await loadStoredConfig(db2, box), 'x').providers.get('plain')!
      const ir = CODECS.anthropic.decodeRequest(structuredClone(CLAUDE_TURN))
      const b = CODECS['openai-chat'].encodeRequest({ ...ir, model: 'm' }, { maxTokensField: rt.maxTokensField, quirks: rt.quirks }).body
      expect(b.max_completion_tokens).toBe(2048)
      expect(b.reasoning_effort).toBe('high')
      expect((b.messages as Body[]).find((m) => m.role === 'assistant')!.reasoning_content).toBe('I should call the tool.')
      expect(b.tool_choice).toBe('required')
    } finally {
      db2.close()
    }
  })
})

describe('cloud presets (types from issue 18 items 2-4)', () => {
  it('preset: azure-openai with a resource URL and api_version validates', () => {
    const cfg = parseConfigText('providers:\n  - { id: az, preset: azure-openai, base_url: "https://my-res.openai.azure.com", api_version: "2024-10-21", keys: [k-azure-0001] }\n')
    expect(cfg.providers[0]).toMatchObject({ type: 'azure-openai', preset: 'azure-openai', base_url: 'https://my-res.openai.azure.com', api_version: '2024-10-21' })
  })
  it('preset: bedrock with a region validates', () => {
    const cfg = parseConfigText('providers:\n  - { id: br, preset: bedrock, region: us-east-1, keys: ["AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"] }\n')
    expect(cfg.providers[0]).toMatchObject({ type: 'bedrock', preset: 'bedrock', region: 'us-east-1' })
  })
  it('preset: vertex with project and location validates', () => {
    const cfg = parseConfigText('providers:\n  - { id: vx, preset: vertex, project: my-proj, location: us-central1 }\n')
    expect(cfg.providers[0]).toMatchObject({ type: 'vertex', preset: 'vertex', project: 'my-proj', location: 'us-central1' })
  })
})
