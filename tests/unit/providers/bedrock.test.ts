import { describe, expect, it } from 'vitest'
import { createHash, createHmac } from 'node:crypto'
import { bedrock } from '../../../server/gateway/providers/bedrock/transport'
import { signRequest, SIGNING_SERVICE } from '../../../server/gateway/providers/bedrock/sign'
import { awsSecretParts, parseAwsCredentials } from '../../../server/gateway/providers/bedrock/credentials'
import { PROVIDER_TRANSPORTS } from '../../../server/gateway/providers'
import { SecretScrubber } from '../../../server/gateway/upstream/scrub-secrets'
import { providerSchema } from '../../../shared/schemas/config-file'
import { KEY_SHAPES_SOURCE } from '../../../server/gateway/secret-shapes'
import { GatewayError } from '../../../server/gateway/errors'

// AWS's documented example credentials (never valid anywhere).
const AKID = 'AKIAIOSFODNN7EXAMPLE'
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKEN+/=='
const key = (text: string) => ({ id: 1, key: text, hash: 'h', hint: 'AKIA…EKEY', fingerprint: '', weight: 1, maxConcurrency: null })

/**
 * SigV4 written out from AWS's documented algorithm (canonical request, string to sign, the derived
 * signing key), to check the library's signature independently. Path segments are URI-encoded a
 * second time, as for every service but S3.
 */
function referenceSignature(o: { method: string; path: string; headers: Record<string, string>; body: string; secret: string; region: string; service: string; amzDate: string }): { signature: string; signedHeaders: string } {
  const sha = (s: string) => createHash('sha256').update(s).digest('hex')
  const hmac = (k: Buffer | string, s: string) => createHmac('sha256', k).update(s).digest()
  const canonicalPath = o.path.split('/').map((seg) => encodeURIComponent(seg)).join('/')
  const names = Object.keys(o.headers).map((h) => h.toLowerCase()).sort()
  const canonicalHeaders = names.map((n) => `${n}:${o.headers[Object.keys(o.headers).find((h) => h.toLowerCase() === n)!]!.trim()}\n`).join('')
  const signedHeaders = names.join(';')
  const canonical = [o.method, canonicalPath, '', canonicalHeaders, signedHeaders, sha(o.body)].join('\n')
  const date = o.amzDate.slice(0, 8)
  const scope = `${date}/${o.region}/${o.service}/aws4_request`
  const toSign = ['AWS4-HMAC-SHA256', o.amzDate, scope, sha(canonical)].join('\n')
  const kDate = hmac(`AWS4${o.secret}`, date)
  const kSigning = hmac(hmac(hmac(kDate, o.region), o.service), 'aws4_request')
  return { signature: createHmac('sha256', kSigning).update(toSign).digest('hex'), signedHeaders }
}

describe('Bedrock credentials (issue 18 item 3)', () => {
  it('reads AKID:SECRET split at the first colon (secrets hold / and +)', () => {
    expect(parseAwsCredentials(`${AKID}:ab/c+d:e`)).toEqual({ accessKeyId: AKID, secretAccessKey: 'ab/c+d:e' })
  })
  it('reads the credential mapping as stored (JSON), with a session token', () => {
    expect(parseAwsCredentials(JSON.stringify({ access_key_id: AKID, secret_access_key: SECRET, session_token: TOKEN }))).toEqual({ accessKeyId: AKID, secretAccessKey: SECRET, sessionToken: TOKEN })
  })
  it('names what is wrong without quoting the key', () => {
    for (const bad of ['no-colon-here', ':s3cr3tVal', 'AKIDX:', '{"access_key_id":"A"}', '{oops']) {
      const r = parseAwsCredentials(bad)
      expect(typeof r).toBe('string')
      expect(r as string).not.toContain(bad)
    }
  })
  it('rosetta.yaml takes both forms under type bedrock (region required); the mapping is stored as JSON', () => {
    const p = providerSchema.parse({ id: 'aws', type: 'bedrock', region: 'us-west-2', keys: [`${AKID}:${SECRET}`, { access_key_id: AKID, secret_access_key: SECRET, session_token: TOKEN }] })
    expect(p.keys[0]).toBe(`${AKID}:${SECRET}`)
    expect(JSON.parse(p.keys[1] as string)).toEqual({ access_key_id: AKID, secret_access_key: SECRET, session_token: TOKEN })
    expect(providerSchema.safeParse({ id: 'aws', type: 'bedrock' }).error?.issues[0]?.path).toEqual(['region'])
    expect(providerSchema.safeParse({ id: 'aws', type: 'bedrock', region: 'us-east-1', keys: [{ access_key_id: AKID }] }).success).toBe(false)
  })
  it('every secret part is scrubbed, and access key ids look like keys', () => {
    const stored = JSON.stringify({ access_key_id: AKID, secret_access_key: SECRET, session_token: TOKEN })
    const s = new SecretScrubber([stored, ...awsSecretParts(stored)])
    expect(s.scrub(`bad signature for ${SECRET} with ${TOKEN} by ${AKID}`)).toBe('bad signature for [redacted] with [redacted] by [redacted]')
    expect(new RegExp(KEY_SHAPES_SOURCE).test('ASIAY34FZKBOKMUTVV7A')).toBe(true)
  })
})

describe('Bedrock transport', () => {
  it('is type bedrock: Converse paths with the model id URL-encoded, default base URL by region', () => {
    expect(PROVIDER_TRANSPORTS.bedrock).toBe(bedrock)
    expect(bedrock.dialectFor('anything', 'gemini')).toBe('bedrock-converse')
    expect(bedrock.defaultBaseUrl({ region: 'eu-central-1' })).toBe('https://bedrock-runtime.eu-central-1.amazonaws.com')
    const call = (stream: boolean) => ({ dialect: 'bedrock-converse' as const, op: 'generate' as const, model: 'us.anthropic.claude-3-5-sonnet-20241022-v2:0', stream })
    expect(bedrock.path(call(false), {})).toBe('model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse')
    expect(bedrock.path(call(true), {})).toBe('model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse-stream')
    expect(bedrock.path({ ...call(false), model: 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/x' }, {})).toBe('model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fx/converse')
    expect(bedrock.path({ ...call(false), op: 'embeddings' }, {})).toBeUndefined()
  })

  it('refuses a malformed key as an authentication error without quoting it', async () => {
    const err = await bedrock.sign!({ origin: 'https://x', path: '/model/m/converse', headers: {}, body: '{}' }, key('not-a-credential'), { region: 'us-east-1' }).catch((e: unknown) => e)
    expect(GatewayError.is(err) && err.kind).toBe('authentication')
    expect((err as Error).message).not.toContain('not-a-credential')
  })
})

describe('SigV4 signing', () => {
  const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] })
  const path = '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse'
  const at = new Date('2026-12-04T21:00:00Z')

  it('signs host, x-amz-date, x-amz-content-sha256 and every header sent; the signature matches the documented algorithm', async () => {
    const h = await signRequest({ origin: 'https://bedrock-runtime.us-east-1.amazonaws.com', path, headers: { 'content-type': 'application/json' }, body }, { accessKeyId: AKID, secretAccessKey: SECRET }, 'us-east-1', at)
    expect(h.host).toBeUndefined()
    expect(h['x-amz-date']).toBe('20261204T210000Z')
    expect(h['x-amz-content-sha256']).toBe(createHash('sha256').update(body).digest('hex'))
    const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(h.authorization!)
    expect(m?.[1]).toBe(`${AKID}/20261204/us-east-1/${SIGNING_SERVICE}/aws4_request`)
    expect(m?.[2]).toBe('content-type;host;x-amz-content-sha256;x-amz-date')
    const ref = referenceSignature({
      method: 'POST',
      path,
      body,
      secret: SECRET,
      region: 'us-east-1',
      service: 'bedrock',
      amzDate: '20261204T210000Z',
      headers: { 'content-type': 'application/json', host: 'bedrock-runtime.us-east-1.amazonaws.com', 'x-amz-content-sha256': h['x-amz-content-sha256']!, 'x-amz-date': '20261204T210000Z' },
    })
    expect(m?.[3]).toBe(ref.signature)
  })

  it('signs the session token, and the region (not the host) makes the scope when base_url points elsewhere', async () => {
    const h = await signRequest({ origin: 'http://127.0.0.1:8123', path: `/proxy${path}`, headers: { 'content-type': 'application/json' }, body }, { accessKeyId: AKID, secretAccessKey: SECRET, sessionToken: TOKEN }, 'eu-west-3', at)
    expect(h['x-amz-security-token']).toBe(TOKEN)
    expect(h.authorization).toContain(`Credential=${AKID}/20261204/eu-west-3/bedrock/aws4_request`)
    expect(h.authorization).toContain('SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token')
    const ref = referenceSignature({
      method: 'POST',
      path: `/proxy${path}`,
      body,
      secret: SECRET,
      region: 'eu-west-3',
      service: 'bedrock',
      amzDate: '20261204T210000Z',
      headers: { 'content-type': 'application/json', host: '127.0.0.1:8123', 'x-amz-content-sha256': h['x-amz-content-sha256']!, 'x-amz-date': '20261204T210000Z', 'x-amz-security-token': TOKEN },
    })
    expect(h.authorization!.endsWith(`Signature=${ref.signature}`)).toBe(true)
  })

  it('a different body gives a different signature', async () => {
    const sign = (b: string) => signRequest({ origin: 'https://h', path, headers: {}, body: b }, { accessKeyId: AKID, secretAccessKey: SECRET }, 'us-east-1', at)
    expect((await sign('{"a":1}')).authorization).not.toBe((await sign('{"a":2}')).authorization)
  })
})
