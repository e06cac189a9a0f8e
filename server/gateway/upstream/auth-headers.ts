import type { ProviderRuntime, ProviderKey } from '../routing/snapshot'
import type { DialectName } from '../ir'

/**
 * Headers for one upstream call: content type, the dialect's own (Anthropic's version, unless the
 * provider sets it), the provider's extras, the key in the provider's auth format (or the credentials
 * its type makes from the key, e.g. Vertex's bearer token), then the call's extras.
 */
export async function upstreamHeaders(
  p: ProviderRuntime,
  key: ProviderKey | undefined,
  dialect: DialectName,
  extra: Record<string, string> | undefined,
): Promise<Record<string, string>> {
  const h: Record<string, string> = { 'content-type': 'application/json', ...p.transport.headers?.(dialect), ...p.headers }
  if (key) {
    if (p.auth) h[p.auth.header] = p.auth.template.replace('{key}', key.key)
    else if (p.transport.authorize) Object.assign(h, await p.transport.authorize(key, p.id))
  }
  if (extra) for (const [k, v] of Object.entries(extra)) h[k] = v
  return h
}
