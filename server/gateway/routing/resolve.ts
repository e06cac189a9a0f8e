import type { Snapshot, ProviderRuntime } from './snapshot'
import { weightedPick } from '../pool/select-key'
import type { RequestExtensions } from '../extensions'

export interface ResolvedTarget {
  provider: ProviderRuntime
  model: string
  /** What the target can take; undefined = everything. */
  capabilities?: string[]
  /** 'target' | 'fallback' — for the explanation and the log. */
  role: 'target' | 'fallback'
}

export interface Resolution {
  /** Targets in the order to try them: a weighted pick first, the other targets, then fallbacks. */
  targets: ResolvedTarget[]
  /** How the decision was made: 'model:<name>' | 'route:<name>' | 'default' | 'forced'. */
  rule: string
  /** A sentence for people: which rule, which target, why (English: logs and the CLI). */
  why: string
  /** The matched model entry's or route's response cache and plugins (issue 19). */
  ext?: RequestExtensions
  /** The same as a code and its values, for the admin UI to word in the chosen language. */
  explain: Explanation
}

/** Why a model name resolved as it did; `none` (nothing matched) is added by the route tester. */
export type Explanation =
  | { code: 'forced'; params: { provider: string } }
  | { code: 'model'; params: { entry: string; provider: string; model: string; targets: number; fallbacks: number } }
  | { code: 'route'; params: { route: string; matchType: string; pattern: string; priority: number; provider: string; model: string } }
  | { code: 'default'; params: { provider: string } }

/**
 * Requested model → upstream targets. Order: an enabled model entry with that exact name, then
 * enabled routes by priority (ties: first defined), then the default provider. A forced provider
 * (`/v1/{provider}/...`) skips all three. Undefined when nothing matches. Pure apart from the
 * random weighted pick (`rand`, injectable for tests).
 */
export function resolveModel(snap: Snapshot, model: string, forcedProvider?: string, rand: () => number = Math.random): Resolution | undefined {
  if (forcedProvider !== undefined) {
    const p = snap.providers.get(forcedProvider)
    if (!p || !p.enabled) return undefined
    return { targets: [{ provider: p, model, capabilities: p.capabilities, role: 'target' }], rule: 'forced', why: `provider '${p.id}' is forced by the URL`, explain: { code: 'forced', params: { provider: p.id } } }
  }
  const entry = snap.models.get(model)
  if (entry) {
    const live = (list: typeof entry.targets, role: ResolvedTarget['role']) =>
      list.flatMap((t) => {
        const p = snap.providers.get(t.provider)
        return p && p.enabled ? [{ provider: p, model: t.model, weight: t.weight, capabilities: t.capabilities ?? p.capabilities, role }] : []
      })
    const primary = live(entry.targets, 'target')
    const first = weightedPick(primary, rand)
    const ordered = first ? [first, ...primary.filter((t) => t !== first)] : []
    const targets: ResolvedTarget[] = [...ordered, ...live(entry.fallbacks, 'fallback')].map(({ provider, model, capabilities, role }) => ({ provider, model, capabilities, role }))
    if (targets.length === 0) return undefined
    const head = targets[0]!
    return {
      targets,
      rule: `model:${entry.name}`,
      ext: entry.ext,
      why: `model entry '${entry.name}' → ${head.provider.id}/${head.model} (weighted pick of ${primary.length} target(s), ${targets.length - primary.length} fallback(s))`,
      explain: { code: 'model', params: { entry: entry.name, provider: head.provider.id, model: head.model, targets: primary.length, fallbacks: targets.length - primary.length } },
    }
  }
  for (const r of snap.routes) {
    if (!r.test(model)) continue
    const p = snap.providers.get(r.providerId)
    if (!p || !p.enabled) continue
    const upstreamModel = r.modelTemplate.replaceAll('{model}', model)
    return {
      targets: [{ provider: p, model: upstreamModel, capabilities: p.capabilities, role: 'target' }],
      rule: `route:${r.name}`,
      ext: r.ext,
      why: `route '${r.name}' (${r.describe}, priority ${r.priority}) → ${p.id}/${upstreamModel}`,
      explain: { code: 'route', params: { route: r.name, matchType: r.matchType, pattern: r.pattern, priority: r.priority, provider: p.id, model: upstreamModel } },
    }
  }
  if (snap.defaultProvider) {
    const p = snap.providers.get(snap.defaultProvider)
    if (p && p.enabled)
      return { targets: [{ provider: p, model, capabilities: p.capabilities, role: 'target' }], rule: 'default', why: `no model entry or route matched; default provider '${p.id}'`, explain: { code: 'default', params: { provider: p.id } } }
  }
  return undefined
}

/** The capabilities a request needs that a target lacks (empty = eligible). */
export function missingCapabilities(target: ResolvedTarget, needs: readonly string[]): string[] {
  if (!target.capabilities) return []
  return needs.filter((n) => !target.capabilities!.includes(n))
}
