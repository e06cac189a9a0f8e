import type { DialectName, UpstreamDialect } from './dialect'
import type { IRRequest } from './request'
import { warning, type IRWarning } from './warning'
import { isRecord } from '../json'

/**
 * Client fields the IR does not model ride in `extras[clientDialect]` and reach only an upstream of
 * the same dialect. For any other upstream each one is dropped: named here, one warning per field.
 * Skipped: codec bookkeeping (`$…`), tools (their decoder warns per tool), fields that are wire
 * mechanics rather than meaning (Responses `store`/`include`: the gateway keeps no state and carries
 * reasoning itself), and fields kept only for same-dialect fidelity while the IR carries their meaning
 * (Anthropic `thinking` and `output_config.effort`, Responses `reasoning`, Anthropic `metadata` when it
 * only held the user id).
 */
const CARRIED: Partial<Record<DialectName, ReadonlySet<string>>> = {
  'openai-responses': new Set(['store', 'include', 'reasoning']),
  anthropic: new Set(['thinking', 'server_tools']),
}

export function droppedExtras(req: IRRequest, client: DialectName, upstream: UpstreamDialect): IRWarning[] {
  if (client === upstream) return []
  const extras = req.extras?.[client]
  if (!extras) return []
  const out: IRWarning[] = []
  for (const [k, v] of Object.entries(extras)) {
    if (k.startsWith('$') || k === 'tools' || v === undefined || v === null) continue
    if (CARRIED[client]?.has(k)) continue
    if (client === 'anthropic' && k === 'metadata' && isOnly(v, 'user_id')) continue
    if (client === 'anthropic' && k === 'output_config' && isOnly(v, 'effort')) continue
    if (client === 'gemini' && (k === 'generationConfig' || k === 'toolConfig') && isRecord(v)) {
      for (const inner of Object.keys(v)) {
        // includeThoughts is honoured through the IR's reasoning config.
        if (k === 'generationConfig' && inner === 'thinkingConfig') continue
        out.push(warning('dropped', `${k}.${inner}`, `${k}.${inner} has no equivalent at a ${upstream} upstream; dropped`))
      }
      continue
    }
    out.push(warning('dropped', k, `${k} has no equivalent at a ${upstream} upstream; dropped`))
  }
  return out
}

function isOnly(v: unknown, key: string): boolean {
  return isRecord(v) && Object.keys(v).every((k) => k === key)
}
