import { sign } from 'node:crypto'
import type { ServiceAccount } from './service-account'

/** The OAuth scope Vertex AI needs. */
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform'

/** Google accepts assertions valid for at most one hour. */
export const ASSERTION_LIFETIME_S = 3600

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')

/**
 * The signed JWT a service account trades for an access token (RFC 7523, Google's "OAuth 2.0 for
 * server to server applications"): RS256 over the key's private key, `kid` = `private_key_id`,
 * `iss` = `client_email`, `aud` = the key's `token_uri`, the cloud-platform scope, one hour at most.
 * Throws when the private key does not parse.
 */
export function serviceAccountAssertion(sa: ServiceAccount, nowS: number): string {
  const header = { alg: 'RS256', typ: 'JWT', ...(sa.privateKeyId ? { kid: sa.privateKeyId } : {}) }
  const claims = { iss: sa.clientEmail, scope: CLOUD_PLATFORM_SCOPE, aud: sa.tokenUri, iat: nowS, exp: nowS + ASSERTION_LIFETIME_S }
  const input = `${b64url(header)}.${b64url(claims)}`
  const signature = sign('sha256', Buffer.from(input), sa.privateKey)
  return `${input}.${signature.toString('base64url')}`
}
