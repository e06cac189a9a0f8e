import type { Snapshot, ProviderRuntime } from './snapshot'

export interface ResolvedTarget {
  provider: ProviderRuntime
  model: string
}

export interface Resolution {
  /** Targets in the order to try them (weighted pick first, then the rest, then fallbacks). */
  targets: ResolvedTarget[]
  /** How the decision was made: 'model:<name>' | 'route:<name>' | 'default' | 'forced'. */
  rule: string
  why: string
}

/**
 * Requested model → upstream targets. Order: an enabled model entry with that exact name, then
 * enabled routes by priority (ties: first defined), then the default provider. A forced provider
 * (`/v1/{provider}/...`) skips all three. Returns undefined when nothing matches.
 */
export function resolveModel(snap: Snapshot, model: string, forcedProvider?: string): Resolution | undefined {
  if (forcedProvider !== undefined) {
    const p = snap.providers.get(forcedProvider)
    if (!p || !p.enabled) return undefined
    return { targets: [{ provider: p, model }], rule: 'forced', why: `provider '${p.id}' forced by the URL` }
  }
  const entry = snap.models.get(model)
  if (entry) {
    const pick = (list: typeof entry.targets) =>
      list.flatMap((t) => {
        const p = snap.providers.get(t.provider)
        return p && p.enabled ? [{ provider: p, model: t.model, weight: t.weight }] : []
      })
    const primary = weightedOrder(pick(entry.targets))
    const fallbacks = pick(entry.fallbacks)
    const targets = [...primary, ...fallbacks].map(({ provider, model }) => ({ provider, model }))
    if (targets.length === 0) return undefined
    return { targets, rule: `model:${entry.name}`, why: `model entry '${entry.name}' (${targets.length} target(s))` }
  }
  for (const r of snap.routes) {
    if (!r.test(model)) continue
    const p = snap.providers.get(r.providerId)
    if (!p || !p.enabled) continue
    return {
      targets: [{ provider: p, model: r.modelTemplate.replaceAll('{model}', model) }],
      rule: `route:${r.name}`,
      why: `route '${r.name}' (priority ${r.priority}) matched`,
    }
  }
  if (snap.defaultProvider) {
    const p = snap.providers.get(snap.defaultProvider)
    if (p && p.enabled) return { targets: [{ provider: p, model }], rule: 'default', why: `default provider '${p.id}'` }
  }
  return undefined
}

/** A weighted random first pick; the remaining targets follow as failover candidates. */
function weightedOrder<T extends { weight: number }>(items: T[]): T[] {
  if (items.length <= 1) return items
  const total = items.reduce((s, t) => s + t.weight, 0)
  let r = Math.random() * total
  let first = 0
  for (let i = 0; i < items.length; i++) {
    r -= items[i]!.weight
    if (r < 0) {
      first = i
      break
    }
  }
  return [items[first]!, ...items.filter((_, i) => i !== first)]
}

/** The next key of a provider's pool (round-robin), or undefined when the pool is empty. */
export function nextKey(p: ProviderRuntime): ProviderRuntime['keys'][number] | undefined {
  if (p.keys.length === 0) return undefined
  const k = p.keys[p.cursor % p.keys.length]
  p.cursor = (p.cursor + 1) % p.keys.length
  return k
}
