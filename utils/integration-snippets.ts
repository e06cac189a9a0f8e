/**
 * Ready-to-copy ways to point each client at this gateway with one client key. Facts per client (what
 * base URL each expects, which variable names) follow docs/clients.md: OpenAI SDKs and Codex want the
 * root plus /v1; the Anthropic SDK, Claude Code, the Gemini SDK and Gemini CLI want the root.
 */
export interface IntegrationSnippet {
  id: 'openai' | 'anthropic' | 'gemini' | 'curl' | 'claude-code' | 'codex' | 'gemini-cli'
  title: string
  lang: 'ts' | 'sh' | 'toml'
  code: string
}

/** The gateway's root URL without a trailing slash ("https://llm.example.com"). */
export function gatewayRoot(url: string): string {
  return url.replace(/\/+$/, '')
}

export function integrationSnippets(o: { baseUrl: string; key: string; model: string }): IntegrationSnippet[] {
  const root = gatewayRoot(o.baseUrl)
  const { key, model } = o
  return [
    {
      id: 'openai',
      title: 'OpenAI SDK',
      lang: 'ts',
      code: `import OpenAI from 'openai'

const client = new OpenAI({ baseURL: '${root}/v1', apiKey: '${key}' })
const r = await client.chat.completions.create({ model: '${model}', messages: [{ role: 'user', content: 'Hello' }] })
console.log(r.choices[0].message.content)`,
    },
    {
      id: 'anthropic',
      title: 'Anthropic SDK',
      lang: 'ts',
      code: `import Anthropic from '@anthropic-ai/sdk'

const client = new Anthropic({ baseURL: '${root}', apiKey: '${key}' })
const r = await client.messages.create({ model: '${model}', max_tokens: 1024, messages: [{ role: 'user', content: 'Hello' }] })
console.log(r.content)`,
    },
    {
      id: 'gemini',
      title: 'Gemini SDK (@google/genai)',
      lang: 'ts',
      code: `import { GoogleGenAI } from '@google/genai'

const ai = new GoogleGenAI({ apiKey: '${key}', httpOptions: { baseUrl: '${root}' } })
const r = await ai.models.generateContent({ model: '${model}', contents: 'Hello' })
console.log(r.text)`,
    },
    {
      id: 'curl',
      title: 'curl',
      lang: 'sh',
      code: `curl ${root}/v1/chat/completions \\
  -H 'Authorization: Bearer ${key}' \\
  -H 'Content-Type: application/json' \\
  -d '{"model":"${model}","messages":[{"role":"user","content":"Hello"}]}'`,
    },
    {
      id: 'claude-code',
      title: 'Claude Code',
      lang: 'sh',
      code: `export ANTHROPIC_BASE_URL=${root}
export ANTHROPIC_AUTH_TOKEN=${key}
claude`,
    },
    {
      id: 'codex',
      title: 'Codex CLI (~/.codex/config.toml)',
      lang: 'toml',
      code: `model = "${model}"
model_provider = "rosetta"

[model_providers.rosetta]
name = "Rosetta"
base_url = "${root}/v1"
env_key = "ROSETTA_API_KEY"
wire_api = "responses"

# then: export ROSETTA_API_KEY=${key}`,
    },
    {
      id: 'gemini-cli',
      title: 'Gemini CLI',
      lang: 'sh',
      code: `export GOOGLE_GEMINI_BASE_URL=${root}
export GEMINI_API_KEY=${key}
gemini`,
    },
  ]
}
