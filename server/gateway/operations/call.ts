import type { IncomingMessage } from 'node:http'
import type { ProviderRuntime, ProviderKey } from '../routing/snapshot'
import type { UpstreamCall } from '../transport'
import { UPSTREAM_CODECS } from '../registry'
import { GatewayError } from '../errors'
import { AttemptFailure } from '../attempt'
import { callUpstream } from '../upstream/client'
import { upstreamHeaders } from '../upstream/auth-headers'
import { anthropicHeaders } from '../upstream/anthropic-headers'
import type { ClientGone } from '../http/client-gone'
import { readBounded, readErrorText } from '../upstream/read-bounded'
import type { SecretScrubber } from '../upstream/scrub-secrets'

export interface JsonCall {
  provider: ProviderRuntime
  key: ProviderKey | undefined
  /** What the call does: its URL comes from the provider's transport. */
  call: UpstreamCall
  body: string
  signal: ClientGone
  /** The client's request: its anthropic-version / anthropic-beta reach an Anthropic upstream. */
  req: IncomingMessage
  /** The client speaks the upstream's dialect: an upstream error goes back in the vendor's own words. */
  same: boolean
  extra?: Record<string, string>
  /** Removes upstream keys from an error body (scrubberFor(rt.snapshot())). */
  scrubber: SecretScrubber
}

/**
 * One non-streaming JSON call for an operation: the upstream's error decoded by its dialect (and kept
 * raw for a same-dialect client), an unreadable body as `upstream_error`.
 */
export async function callJson(c: JsonCall): Promise<{ json: unknown; text: string }> {
  const p = c.provider
  const up = c.call.dialect
  const path = p.transport.path(c.call, p.options)
  if (path === undefined) throw new AttemptFailure(new GatewayError('unsupported', `provider '${p.id}' has no ${c.call.op} endpoint`, { provider: p.id, param: 'model' }))
  const extra = up === 'anthropic' && p.transport.forwardsClientHeaders ? anthropicHeaders(c.req, c.extra) : c.extra
  // The vendor's own body shape (parsed only for a type that rewrites bodies: Vertex's Anthropic publisher).
  const vendorBody = p.transport.body ? p.transport.body(c.call, JSON.parse(c.body) as Record<string, unknown>) : undefined
  const body = vendorBody ? JSON.stringify(vendorBody) : c.body
  let upRes
  try {
    const headers = await upstreamHeaders(p, c.key, up, extra, { path: p.basePath + path, body })
    upRes = await callUpstream(
      { origin: p.origin, path: p.basePath + path, headers, body, signal: c.signal, timeoutMs: p.timeoutMs, stream: false },
      p.id,
    )
  } catch (e) {
    throw new AttemptFailure(e as GatewayError)
  }
  if (upRes.statusCode >= 400) {
    // Scrubbed of upstream keys before the client, the log or the key state sees it (issue 21).
    const text = c.scrubber.scrub(await readErrorText(upRes), c.key?.key)
    const err = UPSTREAM_CODECS[up].decodeError(upRes.statusCode, text, upRes.headers)
    const ra = upRes.headers['retry-after']
    throw new AttemptFailure(err, c.same ? { status: upRes.statusCode, body: text, retryAfter: typeof ra === 'string' ? ra : undefined } : undefined)
  }
  const text = await readBounded(upRes, p.id).catch((e: Error) => {
    if (GatewayError.is(e)) throw new AttemptFailure(e)
    throw new AttemptFailure(new GatewayError('connection', `upstream '${p.id}' broke off its response: ${e.message}`, { provider: p.id }))
  })
  try {
    return { json: JSON.parse(text) as unknown, text }
  } catch (e) {
    throw new AttemptFailure(new GatewayError('upstream_error', `upstream '${p.id}' sent an unreadable response: ${(e as Error).message}`, { provider: p.id }))
  }
}
