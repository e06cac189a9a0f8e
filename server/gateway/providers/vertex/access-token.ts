import { request } from 'undici'
import type { ProviderKey } from '../../routing/snapshot'
import { GatewayError } from '../../errors'
import { isRecord, num, str } from '../../json'
import { toGatewayError } from '../../upstream/client'
import { readBounded, readErrorText } from '../../upstream/read-bounded'
import { parseServiceAccount, type ServiceAccount } from './service-account'
import { serviceAccountAssertion } from './jwt'

/** A cached token is replaced this long before it expires, so no request carries one that dies in flight. */
export const REFRESH_MARGIN_MS = 60_000
const EXCHANGE_TIMEOUT_MS = 10_000
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

export interface AccessToken {
  token: string
  /** Epoch ms. */
  expiresAt: number
}

/** One exchange of a signed assertion for an access token at the key's token_uri. */
export type Exchange = (sa: ServiceAccount, providerId: string, nowMs: number) => Promise<AccessToken>

/**
 * Google's answer to a refused exchange (`invalid_grant`, a deleted key, a wrong clock) is the key's
 * fault: `authentication`, which the failure policy (pool/policy.ts) turns into a disabled key with
 * this sentence as the reason. A 429 is a rate limit and a 5xx the token endpoint's own trouble.
 */
function refusal(sa: ServiceAccount, providerId: string, status: number, text: string): GatewayError {
  let why = ''
  try {
    const j: unknown = JSON.parse(text)
    if (isRecord(j)) why = [str(j.error), str(j.error_description)].filter(Boolean).join(': ')
  } catch {
    why = text.slice(0, 200)
  }
  const message = `provider '${providerId}': the token endpoint ${sa.tokenUri} refused the service-account key of ${sa.clientEmail} (HTTP ${status}${why ? ` ${why}` : ''})`
  const kind = status === 429 ? 'rate_limit' : status >= 500 ? 'upstream_error' : 'authentication'
  return new GatewayError(kind, message, { provider: providerId, upstreamStatus: status, status: kind === 'authentication' ? 401 : undefined })
}

/** Signs the assertion and posts it to the key's token_uri (`grant_type=…jwt-bearer`). */
export const exchangeToken: Exchange = async (sa, providerId, nowMs) => {
  let assertion: string
  try {
    assertion = serviceAccountAssertion(sa, Math.floor(nowMs / 1000))
  } catch (e) {
    throw new GatewayError('authentication', `provider '${providerId}': the private_key of the service-account key of ${sa.clientEmail} cannot sign (${(e as Error).message.slice(0, 120)})`, { provider: providerId, status: 401 })
  }
  let res
  try {
    res = await request(sa.tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
      headersTimeout: EXCHANGE_TIMEOUT_MS,
      bodyTimeout: EXCHANGE_TIMEOUT_MS,
    })
  } catch (e) {
    throw toGatewayError(e, providerId)
  }
  if (res.statusCode >= 400) throw refusal(sa, providerId, res.statusCode, await readErrorText(res))
  let body: unknown
  try {
    body = JSON.parse(await readBounded(res, providerId, 64 * 1024))
  } catch (e) {
    if (GatewayError.is(e)) throw e
    throw new GatewayError('upstream_error', `provider '${providerId}': the token endpoint ${sa.tokenUri} sent an unreadable answer`, { provider: providerId })
  }
  const token = isRecord(body) ? str(body.access_token) : undefined
  if (!token) throw new GatewayError('upstream_error', `provider '${providerId}': the token endpoint ${sa.tokenUri} sent no access_token`, { provider: providerId })
  const expiresIn = (isRecord(body) ? num(body.expires_in) : undefined) ?? 3600
  return { token, expiresAt: nowMs + expiresIn * 1000 }
}

/**
 * Access tokens per key (by its hash), reused until REFRESH_MARGIN_MS before they expire; one
 * exchange at a time per key (concurrent requests share it). A failed exchange is not cached: the
 * next request tries again (unless the failure policy has disabled the key by then).
 */
export class AccessTokens {
  private readonly cache = new Map<string, AccessToken>()
  private readonly pending = new Map<string, Promise<AccessToken>>()

  constructor(
    private readonly exchange: Exchange = exchangeToken,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: ProviderKey, providerId: string): Promise<string> {
    const hit = this.cache.get(key.hash)
    if (hit && hit.expiresAt - REFRESH_MARGIN_MS > this.now()) return hit.token
    let p = this.pending.get(key.hash)
    if (!p) {
      const sa = parseServiceAccount(key.key)
      if (typeof sa === 'string') throw new GatewayError('authentication', `provider '${providerId}': key ${key.hint} ${sa}`, { provider: providerId, status: 401 })
      p = this.exchange(sa, providerId, this.now())
      this.pending.set(key.hash, p)
      void p.then(
        (t) => this.cache.set(key.hash, t),
        () => this.cache.delete(key.hash),
      ).finally(() => this.pending.delete(key.hash))
    }
    return (await p).token
  }
}
