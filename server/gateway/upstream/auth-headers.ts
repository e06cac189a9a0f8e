import type { ProviderRuntime, ProviderKey } from '../routing/snapshot'
import type { UpstreamDialect } from '../ir'

/** What a signing transport signs besides the headers: where the call goes and its exact body. */
export interface OutgoingCall {
  path: string
  body: string | Buffer
  /** Header edits of the request's plugins (name → value, null removes): applied before a signing transport signs. */
  edits?: Readonly<Record<string, string | null>>
}

/**
 * Headers for one upstream call: content type, the dialect's own (Anthropic's version, unless the
 * provider sets it), the provider's extras, the key in the provider's auth format (or the credentials
 * its type makes from the key, e.g. Vertex's bearer token), then the call's extras. A type that signs
 * whole requests (Bedrock's SigV4) signs them last, over `call`, so every header sent is covered.
 */
export async function upstreamHeaders(
  p: ProviderRuntime,
  key: ProviderKey | undefined,
  dialect: UpstreamDialect,
  extra: Record<string, string> | undefined,
  call?: OutgoingCall,
): Promise<Record<string, string>> {
  const h: Record<string, string> = { 'content-type': 'application/json', ...p.transport.headers?.(dialect), ...p.headers }
  if (key) {
    if (p.auth) h[p.auth.header] = p.auth.template.replace('{key}', key.key)
    else if (p.transport.authorize) Object.assign(h, await p.transport.authorize(key, p.id))
  }
  if (extra) for (const [k, v] of Object.entries(extra)) h[k] = v
  if (call?.edits)
    for (const [k, v] of Object.entries(call.edits)) {
      if (v === null) delete h[k.toLowerCase()]
      else h[k.toLowerCase()] = v
    }
  if (key && call && p.transport.sign && !p.auth) return p.transport.sign({ origin: p.origin, path: call.path, headers: h, body: call.body }, key, p.options)
  return h
}
