import type { AppState } from './app-state'
import { listedModels } from '../utils/listed-models'
import { resolveModel } from '../gateway/routing/resolve'
import { statsBreakdown } from './db/stats-repo'

/** One public model name as the model hub shows it. */
export interface HubModel {
  name: string
  /** 'rosetta' for a configured model entry, else the provider whose own list offers it. */
  source: string
  /** The rule that routes it ('model:x', 'route:y', 'default') and where, in the order they are tried. */
  rule: string | null
  targets: Array<{ provider: string; model: string; role: 'target' | 'fallback' }>
  /** USD per million tokens of the first target's upstream model; null = no price (cost shows as —). */
  price: { inputPerM: number; outputPerM: number; pattern: string } | null
  /** What the first target can take; null = everything. */
  capabilities: string[] | null
  /** The last 24 hours of the request log under this public name. */
  usage: { requests: number; inputTokens: number; outputTokens: number; costUsd: number }
}

/**
 * Every public model name (configured entries plus what providers offer and routing really reaches,
 * as GET /v1/models lists them), each with where it routes, its price, capabilities and recent use.
 * Names that had traffic in the last 24 hours but are no longer listed are not shown: the hub is what
 * clients can call now.
 */
export async function modelHub(st: AppState, now = new Date()): Promise<HubModel[]> {
  const snap = st.snapshot
  const [listed, usage] = await Promise.all([
    listedModels(st, snap),
    statsBreakdown(st.requestLog.reader, { by: 'model', since: '24h', limit: 500 }, now),
  ])
  const used = new Map(usage.groups.map((g) => [g.key, g]))
  return listed.map((m) => {
    // A fixed pick (rand = 0) so the hub shows the same first target on every refresh.
    const r = resolveModel(snap, m.id, undefined, () => 0)
    const head = r?.targets[0]
    const p = head ? (st.requestLog.prices.lookup(head.model) ?? st.requestLog.prices.lookup(m.id)) : st.requestLog.prices.lookup(m.id)
    const u = used.get(m.id)
    return {
      name: m.id,
      source: m.ownedBy,
      rule: r?.rule ?? null,
      targets: (r?.targets ?? []).map((t) => ({ provider: t.provider.id, model: t.model, role: t.role })),
      price: p ? { inputPerM: p.inputPerM, outputPerM: p.outputPerM, pattern: p.pattern } : null,
      capabilities: head?.capabilities ?? null,
      usage: { requests: u?.requests ?? 0, inputTokens: u?.inputTokens ?? 0, outputTokens: u?.outputTokens ?? 0, costUsd: u?.costUsd ?? 0 },
    }
  })
}
