/**
 * Vertex AI as the mock upstream plays it: Google's OAuth token endpoint (`POST /oauth2/token`) and
 * the bearer check in front of the publishers' endpoints (`/vertex/…`), which speak Anthropic's and
 * Gemini's wire (the composer routes them).
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import { verify, type KeyObject } from 'node:crypto'

/**
 * Google's token endpoint for Vertex AI: it accepts a jwt-bearer assertion only when its RS256
 * signature verifies with `publicKey` and its claims are what Google checks, then issues
 * `mock-token-N` valid for `lifetimeS`. Vertex requests (`/vertex/…`) need a live one.
 */
export interface MockGoogle {
  publicKey?: KeyObject
  lifetimeS: number
  exchanges: Array<{ header: any; claims: any }>
  refused: string[]
  /** Token → when it expires (ms since the epoch). */
  issued: Map<string, number>
}

export function createMockGoogle(): MockGoogle {
  return { lifetimeS: 3600, exchanges: [], refused: [], issued: new Map() }
}

/** Does a Vertex request carry a live token this mock issued? */
export function vertexAuthorized(google: MockGoogle, headers: IncomingHttpHeaders): boolean {
  const bearer = /^Bearer (.+)$/.exec(String(headers.authorization ?? ''))?.[1]
  return bearer !== undefined && (google.issued.get(bearer) ?? 0) > Date.now()
}

/**
 * Google's OAuth token endpoint as Vertex AI clients meet it: a form-encoded jwt-bearer grant whose
 * assertion must verify with the test key's public key and carry iss, scope, aud (this very URL),
 * iat and exp at most one hour later. Refusals are Google's `invalid_grant` 400s.
 */
export function tokenEndpoint(form: string, self: string, google: MockGoogle, res: ServerResponse): void {
  const refuse = (why: string) => {
    google.refused.push(why)
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant', error_description: why }))
  }
  const params = new URLSearchParams(form)
  if (params.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return refuse('bad grant_type')
  const [h, c, sig] = (params.get('assertion') ?? '').split('.')
  if (!h || !c || !sig || !google.publicKey) return refuse('no assertion')
  if (!verify('sha256', Buffer.from(`${h}.${c}`), google.publicKey, Buffer.from(sig, 'base64url'))) return refuse('Invalid JWT Signature.')
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'))
  const claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'))
  const now = Date.now() / 1000
  if (header.alg !== 'RS256') return refuse('alg must be RS256')
  if (claims.aud !== self) return refuse(`aud must be ${self}`)
  if (claims.scope !== 'https://www.googleapis.com/auth/cloud-platform') return refuse('scope')
  if (!(claims.exp - claims.iat <= 3600 && claims.iat <= now + 5 && claims.exp > now)) return refuse('Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.')
  google.exchanges.push({ header, claims })
  const token = `mock-token-${google.exchanges.length}`
  google.issued.set(token, Date.now() + google.lifetimeS * 1000)
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, expires_in: google.lifetimeS, token_type: 'Bearer' }))
}
