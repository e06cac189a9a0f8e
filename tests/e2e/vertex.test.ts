import { describe, expect, it } from 'vitest'
import { generateKeyPairSync } from 'node:crypto'
import { ADMIN_KEY, CLIENT_KEY } from './support/server'
import { sdkClients } from './support/sdk-clients'
import { useGateway } from './support/setup'
import { chat } from './support/admin-api'

/**
 * Issue 18 item 4: `type: vertex` as rosetta.yaml describes it. The test makes an RSA key pair; the
 * mock's token endpoint verifies each assertion with its public key (and Google's claim rules)
 * before it issues a bearer token, and the mock's Vertex endpoints take only live tokens it issued.
 */
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const OTHER_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const BASE = '/vertex/v1/projects/proj-e2e/locations/us-east5/publishers'

const gw = useGateway('', {
  config: (_url, mock) => {
    mock.google.publicKey = publicKey
    const tokenUri = `${mock.url}/oauth2/token`
    const sa = (email: string, pem: string) => JSON.stringify({ type: 'service_account', project_id: 'proj-e2e', private_key_id: `kid-${email}`, private_key: pem, client_email: email, token_uri: tokenUri })
    const yamlString = (s: string) => JSON.stringify(s) // a JSON string is a valid YAML double-quoted scalar
    // One Vertex provider on the mock's project and location; `key` is its one key entry's YAML.
    const provider = (id: string, key: string) => `  - { id: ${id}, type: vertex, project: proj-e2e, location: us-east5, base_url: "${mock.url}/vertex", keys: [${key}] }\n`
    return `
providers:
${provider('vertex', yamlString(sa('main@proj-e2e.iam.gserviceaccount.com', PEM)))}\
  # The key as a YAML mapping with the service-account file's fields.
${provider('vertex-short', `{ type: service_account, client_email: short@proj-e2e.iam.gserviceaccount.com, private_key_id: kid-short, private_key: ${yamlString(PEM)}, token_uri: "${tokenUri}" }`)}\
${provider('vertex-badkey', yamlString(sa('bad@proj-e2e.iam.gserviceaccount.com', OTHER_PEM)))}\
models:
  - { name: short-lived, targets: [ { provider: vertex-short, model: gemini-text } ] }
  - { name: bad-key, targets: [ { provider: vertex-badkey, model: gemini-text } ] }
routes:
  - { name: claude, match: { prefix: "claude-" }, provider: vertex }
  - { name: gemini, match: { prefix: "gemini-" }, provider: vertex }
client_keys:
  - { name: test, key: ${CLIENT_KEY} }
`
  },
})

const { openai, anthropic, gemini } = sdkClients(() => gw.server.url)
const exchangesOf = (email: string) => gw.mock.google.exchanges.filter((e) => e.claims.iss === email)

describe('Vertex AI: the Anthropic publisher', () => {
  it('Anthropic SDK: rawPredict, the body without model and with vertex-2023-10-16, a bearer token from a verified assertion', async () => {
    const r = await anthropic().messages.create({ model: 'claude-text', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] })
    expect(r.content).toEqual([expect.objectContaining({ type: 'text', text: 'Hello from anthropic!' })])
    const got = gw.mock.last()
    expect(got.path).toBe(`${BASE}/anthropic/models/claude-text:rawPredict`)
    expect(got.body).toEqual({ anthropic_version: 'vertex-2023-10-16', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] })
    expect(got.headers.authorization).toBe('Bearer mock-token-1')
    expect(got.headers['anthropic-version']).toBeUndefined()
    const [x] = exchangesOf('main@proj-e2e.iam.gserviceaccount.com')
    expect(x!.header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'kid-main@proj-e2e.iam.gserviceaccount.com' })
    expect(x!.claims).toMatchObject({ aud: `${gw.mock.url}/oauth2/token`, scope: 'https://www.googleapis.com/auth/cloud-platform' })
    expect(x!.claims.exp - x!.claims.iat).toBe(3600)
  })

  it('Anthropic SDK streamed: streamRawPredict with stream: true; the token is reused', async () => {
    const m = await anthropic().messages.stream({ model: 'claude-text', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage()
    expect(m.content).toEqual([expect.objectContaining({ type: 'text', text: 'Hello from anthropic!' })])
    const got = gw.mock.last()
    expect(got.path).toBe(`${BASE}/anthropic/models/claude-text:streamRawPredict`)
    expect(got.body).toMatchObject({ anthropic_version: 'vertex-2023-10-16', stream: true })
    expect(got.body.model).toBeUndefined()
    expect(got.headers.authorization).toBe('Bearer mock-token-1')
  })

  it('OpenAI SDK, converted, streamed: the same path family, the same token', async () => {
    const stream = await openai().chat.completions.create({ model: 'claude-text', messages: [{ role: 'user', content: 'Hi' }], stream: true })
    let text = ''
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? ''
    expect(text).toBe('Hello from anthropic!')
    expect(gw.mock.last().path).toBe(`${BASE}/anthropic/models/claude-text:streamRawPredict`)
    expect(gw.mock.last().body.anthropic_version).toBe('vertex-2023-10-16')
    expect(exchangesOf('main@proj-e2e.iam.gserviceaccount.com')).toHaveLength(1)
  })
})

describe('Vertex AI: the Google publisher', () => {
  it('Gemini SDK: generateContent and streamGenerateContent?alt=sse under publishers/google', async () => {
    const r = await gemini().models.generateContent({ model: 'gemini-text', contents: 'Hi' })
    expect(r.text).toBe('Hello from gemini!')
    expect(gw.mock.last().path).toBe(`${BASE}/google/models/gemini-text:generateContent`)
    let text = ''
    for await (const c of await gemini().models.generateContentStream({ model: 'gemini-text', contents: 'Hi' })) text += c.text ?? ''
    expect(text).toBe('Hello from gemini!')
    expect(gw.mock.last().path).toBe(`${BASE}/google/models/gemini-text:streamGenerateContent?alt=sse`)
    expect(gw.mock.last().headers.authorization).toBe('Bearer mock-token-1')
  })

  it('OpenAI SDK, converted', async () => {
    const r = await openai().chat.completions.create({ model: 'gemini-text', messages: [{ role: 'user', content: 'Hi' }] })
    expect(r.choices[0]!.message.content).toBe('Hello from gemini!')
    expect(gw.mock.last().path).toBe(`${BASE}/google/models/gemini-text:generateContent`)
    expect(exchangesOf('main@proj-e2e.iam.gserviceaccount.com')).toHaveLength(1)
  })
})

describe('Vertex AI: calls beside generation', () => {
  it('token counting is the local estimate (no upstream call); embeddings are refused naming the provider', async () => {
    const before = gw.mock.requests.length
    const n = await anthropic().messages.countTokens({ model: 'claude-text', messages: [{ role: 'user', content: 'Hello there' }] })
    expect(n.input_tokens).toBeGreaterThan(0)
    const g = await gemini().models.countTokens({ model: 'gemini-text', contents: 'Hello there' })
    expect(g.totalTokens).toBeGreaterThan(0)
    expect(gw.mock.requests.length).toBe(before)
    const e = await openai().embeddings.create({ model: 'gemini-embedding', input: 'x' }).catch((err: unknown) => err as { status: number; message: string })
    expect(e).toMatchObject({ status: 400, message: expect.stringContaining("provider 'vertex'") })
  })
})

describe('Vertex AI tokens', () => {
  it('are exchanged again once the cached one is about to expire (a YAML-mapping key)', async () => {
    // Tokens live 61 s: cached ones are replaced 60 s before they expire, so this one is stale after 1 s.
    gw.mock.google.lifetimeS = 61
    try {
      await openai().chat.completions.create({ model: 'short-lived', messages: [{ role: 'user', content: 'Hi' }] })
      const first = gw.mock.last().headers.authorization
      expect(exchangesOf('short@proj-e2e.iam.gserviceaccount.com')).toHaveLength(1)
      await new Promise((r) => setTimeout(r, 1300))
      await openai().chat.completions.create({ model: 'short-lived', messages: [{ role: 'user', content: 'Hi' }] })
      expect(exchangesOf('short@proj-e2e.iam.gserviceaccount.com')).toHaveLength(2)
      expect(gw.mock.last().headers.authorization).not.toBe(first)
    } finally {
      gw.mock.google.lifetimeS = 3600
    }
  })

  it('a key the token endpoint refuses is a key error: disabled with the reason, never retried, never shown', async () => {
    const r = await chat(gw.server.url, CLIENT_KEY, 'bad-key')
    expect(r.status).toBeGreaterThanOrEqual(400)
    expect(gw.mock.google.refused).toContain('Invalid JWT Signature.')
    const text = r.text
    expect(text).not.toContain('PRIVATE KEY')
    const refusals = gw.mock.google.refused.length
    const again = await chat(gw.server.url, CLIENT_KEY, 'bad-key')
    expect(again.status).toBe(503)
    expect(gw.mock.google.refused).toHaveLength(refusals)
    // The export masks the service-account keys like any other key.
    const exp = await fetch(`${gw.server.url}/api/trpc/config.export`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
    const exported = await exp.text()
    expect(exp.status).toBe(200)
    expect(exported).toContain('proj-e2e')
    expect(exported).not.toContain('PRIVATE KEY')
    expect(exported).not.toContain('BEGIN')
  })
})
