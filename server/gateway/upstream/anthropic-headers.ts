import type { IncomingMessage } from 'node:http'

/**
 * Headers an Anthropic upstream gets from the client: its `anthropic-version` (when it sent one) and
 * its `anthropic-beta` flags merged with the ones the encoder needs, each flag once. Only ever used
 * for Anthropic upstreams: other vendors never see these. `x-stainless-*` and the user agent are
 * never forwarded to anyone (upstream headers are built from scratch, not copied).
 */
export function anthropicHeaders(req: IncomingMessage, own: Record<string, string> | undefined): Record<string, string> | undefined {
  const version = req.headers['anthropic-version']
  const beta = req.headers['anthropic-beta']
  if (typeof version !== 'string' && beta === undefined) return own
  const out: Record<string, string> = { ...own }
  if (typeof version === 'string' && version) out['anthropic-version'] = version
  const flags = new Set<string>()
  for (const v of [own?.['anthropic-beta'], ...(Array.isArray(beta) ? beta : [beta])])
    if (typeof v === 'string') for (const f of v.split(',')) if (f.trim()) flags.add(f.trim())
  if (flags.size) out['anthropic-beta'] = [...flags].join(',')
  return out
}
