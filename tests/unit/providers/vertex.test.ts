import { describe, expect, it } from 'vitest'
import { generateKeyPairSync, verify } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { vertex, publisherOf, VERTEX_ANTHROPIC_VERSION } from '../../../server/gateway/providers/vertex/transport'
import { serviceAccountAssertion, CLOUD_PLATFORM_SCOPE } from '../../../server/gateway/providers/vertex/jwt'
import { parseServiceAccount, GOOGLE_TOKEN_URI } from '../../../server/gateway/providers/vertex/service-account'
import { AccessTokens, REFRESH_MARGIN_MS, exchangeToken, type Exchange } from '../../../server/gateway/providers/vertex/access-token'
import { policyFor } from '../../../server/gateway/pool/policy'
import { GatewayError } from '../../../server/gateway/errors'
import { providerSchema, configFileSchema } from '../../../shared/schemas/config-file'
import { KEY_SHAPES_SOURCE } from '../../../server/gateway/secret-shapes'

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const saJson = (tokenUri: string) => JSON.stringify({ type: 'service_account', project_id: 'proj', private_key_id: 'kid-1', private_key: PEM, client_email: 'sa@proj.iam.gserviceaccount.com', token_uri: tokenUri })
const key = (text: string, hash = 'h1') => ({ id: 1, key: text, hash, hint: '{"ty…"}', fingerprint: '', weight: 1, maxConcurrency: null })
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))

describe('Vertex AI URLs and bodies (issue 18 item 4)', () => {
  const o = { project: 'my-proj', location: 'us-east5' }
  it('picks the publisher from the model id', () => {
    expect([publisherOf('claude-sonnet-4-5@20250929'), publisherOf('gemini-2.5-pro'), publisherOf('claudette')]).toEqual(['anthropic', 'google', 'google'])
    expect(vertex.dialectFor('claude-opus-4-1', 'openai-chat')).toBe('anthropic')
    expect(vertex.dialectFor('gemini-2.5-flash', 'anthropic')).toBe('gemini')
  })

  it('builds the publisher model URL for each method', () => {
    const base = 'v1/projects/my-proj/locations/us-east5/publishers'
    expect(vertex.path({ dialect: 'anthropic', op: 'generate', model: 'claude-sonnet-4-5@20250929', stream: false }, o)).toBe(`${base}/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`)
    expect(vertex.path({ dialect: 'anthropic', op: 'generate', model: 'claude-sonnet-4-5', stream: true }, o)).toBe(`${base}/anthropic/models/claude-sonnet-4-5:streamRawPredict`)
    expect(vertex.path({ dialect: 'gemini', op: 'generate', model: 'gemini-2.5-pro', stream: false }, o)).toBe(`${base}/google/models/gemini-2.5-pro:generateContent`)
    expect(vertex.path({ dialect: 'gemini', op: 'generate', model: 'gemini-2.5-pro', stream: true }, o)).toBe(`${base}/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse`)
    expect(vertex.path({ dialect: 'gemini', op: 'count_tokens', model: 'gemini-2.5-pro', stream: false }, o)).toBeUndefined()
    expect(vertex.path({ dialect: 'gemini', op: 'generate', model: '../x?y', stream: false }, o)).toBe(`${base}/google/models/..%2Fx%3Fy:generateContent`)
    expect(vertex.path({ dialect: 'anthropic', op: 'count_tokens', model: 'claude-x', stream: false }, o)).toBeUndefined()
    expect(vertex.path({ dialect: 'gemini', op: 'embeddings', model: 'text-embedding-005', stream: false }, o)).toBeUndefined()
  })

  it('defaults base_url to the regional origin (global: no region prefix)', () => {
    expect(vertex.defaultBaseUrl(o)).toBe('https://us-east5-aiplatform.googleapis.com')
    expect(vertex.defaultBaseUrl({ project: 'p', location: 'global' })).toBe('https://aiplatform.googleapis.com')
  })

  it('sends Anthropic a Messages body without model, with its anthropic_version; Gemini bodies unchanged', () => {
    const c = { dialect: 'anthropic' as const, op: 'generate' as const, model: 'claude-x', stream: true }
    expect(vertex.body!(c, { model: 'claude-x', anthropic_version: '2023-06-01', max_tokens: 5, stream: true, messages: [] })).toEqual({ anthropic_version: VERTEX_ANTHROPIC_VERSION, max_tokens: 5, stream: true, messages: [] })
    expect(vertex.body!({ ...c, dialect: 'gemini' }, { contents: [] })).toBeUndefined()
  })

  it('needs project and location; takes no api_version', () => {
    expect(providerSchema.safeParse({ id: 'vx', type: 'vertex' }).error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['location', 'project'])
    expect(providerSchema.safeParse({ id: 'vx', type: 'vertex', project: 'p', location: 'us-east5', api_version: '1' }).success).toBe(false)
  })
})

describe('service-account keys', () => {
  it('reads the JSON text, YAML text, and a YAML mapping in rosetta.yaml (stored as its JSON)', () => {
    expect(parseServiceAccount(saJson('https://t/token'))).toMatchObject({ clientEmail: 'sa@proj.iam.gserviceaccount.com', privateKeyId: 'kid-1', tokenUri: 'https://t/token' })
    expect(parseServiceAccount('client_email: a@b\nprivate_key: x\n')).toEqual({ clientEmail: 'a@b', privateKey: 'x', privateKeyId: undefined, tokenUri: GOOGLE_TOKEN_URI })
    expect(parseServiceAccount('{"client_email":"a@b"}')).toBe('is not a service-account key (it needs client_email and private_key)')
    const cfg = configFileSchema.parse({
      providers: [{ id: 'vx', type: 'vertex', project: 'p', location: 'us-east5', keys: [{ type: 'service_account', client_email: 'a@b', private_key: PEM, private_key_id: 'k', token_uri: 'https://t/token' }] }],
    })
    const stored = cfg.providers[0]!.keys[0]
    expect(typeof stored).toBe('string')
    expect(parseServiceAccount(stored as string)).toMatchObject({ clientEmail: 'a@b', privateKeyId: 'k', tokenUri: 'https://t/token' })
  })

  it('its private key is one of the secret shapes scrubbed from errors and logged bodies', () => {
    const text = `oops ${JSON.stringify({ private_key: PEM })} and ya29.a0AfH6SMBxxxxxxxxxxxxxxxxxxxxxxx`
    const scrubbed = text.replace(new RegExp(KEY_SHAPES_SOURCE, 'g'), '[key]')
    expect(scrubbed).not.toContain('PRIVATE KEY')
    expect(scrubbed).not.toContain('ya29.')
    expect(scrubbed.match(/\[key\]/g)).toHaveLength(2)
  })
})

describe('the signed assertion', () => {
  it('is RS256 over the private key with kid, iss, aud = token_uri, the cloud-platform scope and one hour', () => {
    const sa = parseServiceAccount(saJson('https://oauth.example/token'))
    if (typeof sa === 'string') throw new Error(sa)
    const jwt = serviceAccountAssertion(sa, 1_700_000_000)
    const [h, c, s] = jwt.split('.')
    expect(decode(h!)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'kid-1' })
    expect(decode(c!)).toEqual({ iss: 'sa@proj.iam.gserviceaccount.com', scope: CLOUD_PLATFORM_SCOPE, aud: 'https://oauth.example/token', iat: 1_700_000_000, exp: 1_700_003_600 })
    expect(verify('sha256', Buffer.from(`${h}.${c}`), publicKey, Buffer.from(s!, 'base64url'))).toBe(true)
    expect(verify('sha256', Buffer.from(`${h}.${c}x`), publicKey, Buffer.from(s!, 'base64url'))).toBe(false)
  })
})

describe('access tokens', () => {
  it('are reused per key until shortly before expiry, one exchange at a time', async () => {
    let now = 1_000_000
    const calls: string[] = []
    const exchange: Exchange = async (sa, _p, at) => {
      calls.push(sa.clientEmail)
      return { token: `tok-${calls.length}`, expiresAt: at + 3600_000 }
    }
    const t = new AccessTokens(exchange, () => now)
    const k = key(saJson('https://t/token'))
    expect(await Promise.all([t.get(k, 'vx'), t.get(k, 'vx')])).toEqual(['tok-1', 'tok-1'])
    now += 3600_000 - REFRESH_MARGIN_MS - 1
    expect(await t.get(k, 'vx')).toBe('tok-1')
    now += 2
    expect(await t.get(k, 'vx')).toBe('tok-2')
    expect(await t.get(key(saJson('https://t/token'), 'h2'), 'vx')).toBe('tok-3')
    expect(calls).toHaveLength(3)
  })

  it('a key that is not a service account, or an exchange the endpoint refuses, is a key error: the key is disabled', async () => {
    const t = new AccessTokens()
    const err = await t.get(key('sk-not-json', 'h3'), 'vx').catch((e: unknown) => e)
    expect(GatewayError.is(err) && [err.kind, err.message]).toEqual(['authentication', "provider 'vx': key {\"ty…\"} is not a service-account key (not a JSON object)"])
    expect(policyFor('authentication').key).toBe('disable')

    const server = createServer((req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`
      const sa = parseServiceAccount(saJson(url))
      if (typeof sa === 'string') throw new Error(sa)
      const refused = await exchangeToken(sa, 'vx', Date.now()).catch((e: unknown) => e)
      expect(GatewayError.is(refused) && [refused.kind, refused.message]).toEqual([
        'authentication',
        `provider 'vx': the token endpoint ${url} refused the service-account key of sa@proj.iam.gserviceaccount.com (HTTP 400 invalid_grant: Invalid JWT Signature.)`,
      ])
    } finally {
      server.close()
    }
  })
})
