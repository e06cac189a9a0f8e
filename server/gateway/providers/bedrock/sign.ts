import { SignatureV4 } from '@smithy/signature-v4'
import { Hash } from '@smithy/hash-node'
import type { AwsCredentials } from './credentials'

/** The service name Bedrock Runtime's credential scope carries (`…/{region}/bedrock/aws4_request`). */
export const SIGNING_SERVICE = 'bedrock'

/** What is signed: one POST to `origin` + `path`, with its headers and exact body. */
export interface SigningRequest {
  origin: string
  path: string
  headers: Record<string, string>
  body: string | Buffer
}

/** sha256 for the signer, with node:crypto underneath (@smithy/hash-node). */
class Sha256 extends Hash {
  constructor(secret?: ConstructorParameters<typeof Hash>[1]) {
    super('sha256', secret)
  }
}

/**
 * SigV4 with @smithy/signature-v4 (what the AWS SDKs use). Signed: `host`, `x-amz-date`,
 * `x-amz-content-sha256` (the body's hash), `x-amz-security-token` with a session token, and every
 * other header sent (content type, the provider's extras). `region` is the provider's, also when its
 * base_url points elsewhere (a VPC endpoint or a proxy): AWS checks the scope, not the host name.
 * Returns the headers to send, `host` excepted (the HTTP client writes the same value itself).
 */
export async function signRequest(req: SigningRequest, credentials: AwsCredentials, region: string, signingDate?: Date): Promise<Record<string, string>> {
  const url = new URL(req.path, req.origin)
  const signer = new SignatureV4({ credentials, region, service: SIGNING_SERVICE, sha256: Sha256, applyChecksum: true })
  const query: Record<string, string | string[]> = {}
  for (const [k, v] of url.searchParams) {
    const have = query[k]
    query[k] = have === undefined ? v : Array.isArray(have) ? [...have, v] : [have, v]
  }
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers: { ...req.headers, host: url.host },
      body: req.body,
    },
    signingDate ? { signingDate } : undefined,
  )
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(signed.headers)) if (k.toLowerCase() !== 'host') out[k.toLowerCase()] = v
  return out
}
