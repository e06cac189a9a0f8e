import type { ProviderRuntime, ProviderKey } from '../routing/snapshot'

/** Headers for one upstream call: content type, the key in the provider's auth format, extras. */
export function upstreamHeaders(
  p: ProviderRuntime,
  key: ProviderKey | undefined,
  extra: Record<string, string> | undefined,
): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json', ...p.headers }
  if (key) h[p.authHeader] = p.authTemplate.replace('{key}', key.key)
  if (p.dialect === 'anthropic' && !h['anthropic-version']) h['anthropic-version'] = '2023-06-01'
  if (extra) for (const [k, v] of Object.entries(extra)) h[k] = v
  return h
}
