import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ADMIN_KEY, CLIENT_KEY, ROOT } from './support/server'
import { useGateway } from './support/setup'
import { bearer, rest } from './support/admin-api'

/**
 * Issue 18 item 5 against the built server: providers made from presets (`preset:` plus a key in
 * rosetta.yaml, and `rosetta providers add --preset`), their quirk switches shaping what the vendor
 * receives, checked in the mock against each vendor's documented request shape. The mock stands in
 * for the vendor (base_url points at it); the preset supplies everything else.
 */

const yaml = (up: string) => `
providers:
  - { id: ds, preset: deepseek, base_url: "${up}/openai/v1", keys: [sk-ds-key-000111] }
  - { id: qw, preset: qwen, base_url: "${up}/openai/v1", keys: [sk-qwen-key-000222] }
  - { id: dsa, preset: deepseek-anthropic, base_url: "${up}/anthropic/v1", keys: [sk-dsa-key-000333] }
  - { id: mis, preset: mistral, base_url: "${up}/openai/v1", keys: [sk-mis-key-000444] }
routes:
  - { name: ds, match: { prefix: "ds-" }, provider: ds }
  - { name: qw, match: { prefix: "qw-" }, provider: qw }
  - { name: dsa, match: { prefix: "dsa-" }, provider: dsa, priority: 1 }
  - { name: mis, match: { prefix: "mis-" }, provider: mis }
client_keys:
  - { name: test, key: ${CLIENT_KEY} }
`

const gw = useGateway('', { config: (url) => yaml(url) })
/** A client's call to one of the doors, with that door's key header. */
const post = (path: string, body: unknown, headers: Record<string, string>) => rest(gw.server.url, 'POST', path, body, headers)

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'cli/rosetta.mjs'), ...args], {
    env: { ...process.env, ROSETTA_URL: gw.server.url, ROSETTA_ADMIN_KEY: ADMIN_KEY, NO_COLOR: '1' },
    encoding: 'utf8',
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

const lastTo = (path: string) => [...gw.mock.requests].reverse().find((r) => r.path === path)!

describe('DeepSeek preset: thinking {type} out, reasoning_content both ways', () => {
  it('a Claude-style request with thinking reaches DeepSeek in its own terms, and its reasoning_content comes back as a thinking block', async () => {
    const r = await post(
      '/v1/messages',
      {
        model: 'ds-thinking',
        max_tokens: 1024,
        thinking: { type: 'enabled', budget_tokens: 4096 },
        messages: [
          { role: 'user', content: 'What is 6 x 7?' },
          { role: 'assistant', content: [{ type: 'thinking', thinking: 'Earlier thought.', signature: 'sig-x' }, { type: 'text', text: 'Let me see.' }] },
          { role: 'user', content: 'Well?' },
        ],
      },
      { 'x-api-key': CLIENT_KEY, 'anthropic-version': '2023-06-01' },
    )
    expect(r.status, r.text).toBe(200)
    const up = lastTo('/openai/v1/chat/completions')
    // api-docs.deepseek.com/guides/thinking_mode: the toggle is thinking {type}; the limit is max_tokens.
    expect(up.body.thinking).toEqual({ type: 'enabled' })
    expect(up.body).not.toHaveProperty('reasoning_effort')
    expect(up.body.max_tokens).toBe(1024)
    expect(up.body.messages.find((m: any) => m.role === 'assistant')).toMatchObject({ reasoning_content: 'Earlier thought.', content: 'Let me see.' })
    expect(up.headers.authorization).toBe('Bearer sk-ds-key-000111')
    // The mock answers DeepSeek-style (reasoning_content); the Anthropic client gets a thinking block.
    expect(r.body.content[0]).toMatchObject({ type: 'thinking', thinking: 'The user wants the answer. It is 42.' })
    expect(r.body.content.at(-1)).toMatchObject({ type: 'text', text: 'The answer is 42.' })
  })
})

describe('Qwen preset: enable_thinking and thinking_budget', () => {
  it('a Gemini client’s thinking budget reaches Model Studio as enable_thinking + thinking_budget, the limit as max_completion_tokens', async () => {
    const r = await post(
      '/v1beta/models/qw-thinking:generateContent',
      { contents: [{ role: 'user', parts: [{ text: 'Think, then answer.' }] }], generationConfig: { maxOutputTokens: 600, thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } } },
      { 'x-goog-api-key': CLIENT_KEY },
    )
    expect(r.status, r.text).toBe(200)
    const up = lastTo('/openai/v1/chat/completions')
    expect(up.body.model).toBe('qw-thinking')
    expect(up.body).toMatchObject({ enable_thinking: true, thinking_budget: 2048, max_completion_tokens: 600 })
    expect(up.body).not.toHaveProperty('max_tokens')
    expect(up.body).not.toHaveProperty('reasoning_effort')
    const parts = r.body.candidates[0].content.parts
    expect(parts[0]).toMatchObject({ thought: true, text: 'The user wants the answer. It is 42.' })
  })
})

describe('Anthropic-compatible preset (DeepSeek /anthropic)', () => {
  it('an OpenAI client reaches the vendor’s Messages endpoint with its key in x-api-key', async () => {
    const r = await rest(gw.server.url, 'POST', '/v1/chat/completions', { model: 'dsa-text', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }, bearer(CLIENT_KEY))
    expect(r.status, r.text).toBe(200)
    const up = lastTo('/anthropic/v1/messages')
    expect(up.headers['x-api-key']).toBe('sk-dsa-key-000333')
    expect(up.headers.authorization).toBeUndefined()
    expect(up.body).toMatchObject({ model: 'dsa-text', max_tokens: 64 })
    expect(r.body.choices[0].message.content).toBe('Hello from anthropic!')
  })
})

describe('Mistral preset: no stream_options', () => {
  it('a streamed converted request leaves out stream_options (Mistral answers 422 to it) and still gets its usage', async () => {
    const res = await fetch(`${gw.server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'mis-text', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).toContain('event: message_stop')
    const up = lastTo('/openai/v1/chat/completions')
    expect(up.body.stream).toBe(true)
    expect(up.body).not.toHaveProperty('stream_options')
    expect(up.body).not.toHaveProperty('max_completion_tokens')
  })
})

describe('CLI and config export', () => {
  it('rosetta providers presets lists every vendor; providers add --preset makes a working provider from a preset and a key', async () => {
    const presets = cli(['providers', 'presets'])
    expect(presets.code, presets.err).toBe(0)
    for (const id of ['deepseek', 'qwen', 'glm', 'kimi', 'doubao', 'siliconflow', 'kimi-anthropic', 'glm-anthropic', 'azure-openai', 'bedrock', 'vertex', 'lmstudio']) expect(presets.out).toMatch(new RegExp(`^${id} `, 'm'))
    expect(presets.out).toContain('https://open.bigmodel.cn/api/paas/v4')

    const add = cli(['providers', 'add', 'kimi-cn', '--preset', 'kimi', '--china', '--keys', 'sk-kimi-key-000555,sk-kimi-key-000666', '--json'])
    expect(add.code, add.err).toBe(0)
    const listed = JSON.parse(cli(['providers', 'list', '--json']).out).find((p: any) => p.id === 'kimi-cn')
    expect(listed).toMatchObject({ type: 'openai', base_url: 'https://api.moonshot.cn/v1' })
    expect(listed.keyCounts.total).toBe(2)

    const bad = cli(['providers', 'add', 'x', '--preset', 'deepseak'])
    expect(bad.code).toBe(2)
    expect(bad.err).toContain("unknown preset 'deepseak'")
    expect(cli(['providers', 'add', 'x', '--preset', 'deepseek', '--china']).err).toContain("preset 'deepseek' has no separate mainland China site")

    // The export writes preset entries as they are written: the preset and only what differs.
    const exported = parse(cli(['config', 'export']).out)
    const strip = (p: any) => ({ ...p, keys: p.keys.map((k: any) => k.key) })
    expect(strip(exported.providers.find((p: any) => p.id === 'kimi-cn'))).toEqual({ id: 'kimi-cn', preset: 'kimi', base_url: 'https://api.moonshot.cn/v1', keys: ['sk-k…0555', 'sk-k…0666'] })
    expect(strip(exported.providers.find((p: any) => p.id === 'ds'))).toEqual({ id: 'ds', preset: 'deepseek', base_url: `${gw.mock.url}/openai/v1`, keys: ['sk-d…0111'] })
  })

  it('preset model prices are in the price table at boot', async () => {
    const r = await rest(gw.server.url, 'GET', '/api/trpc/prices.list', undefined, bearer(ADMIN_KEY))
    expect(r.status, r.text).toBe(200)
    const prices = r.body.result.data as Array<{ pattern: string; inputPerM: number; outputPerM: number }>
    expect(prices.find((p) => p.pattern === 'kimi-k2.5')).toMatchObject({ inputPerM: 0.6, outputPerM: 3 })
  })
})
