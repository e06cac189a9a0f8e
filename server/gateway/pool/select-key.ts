import type { ProviderKey, ProviderRuntime } from '../routing/snapshot'
import type { StateStore } from './state-store'
import { keyStatus, modelRestUntil } from './key-state'

export type KeyStrategy = 'round-robin' | 'weighted' | 'random' | 'least-used' | 'fill-first'

/**
 * Picks a key of the provider's pool that can take a request for `model` now: not disabled, not
 * resting (for every model, or for this one), below its concurrency cap (a key at its cap is
 * skipped, never queued behind) and not already tried by this request (`tried` holds `base + key id`,
 * so one set serves every target of a request). Undefined when none can.
 */
export function selectKey(
  p: ProviderRuntime,
  store: StateStore,
  tried: ReadonlySet<number>,
  now: number,
  model = '',
  base = 0,
  rand: () => number = Math.random,
): ProviderKey | undefined {
  const keys = p.keys
  const n = keys.length
  if (n === 0) return undefined
  const usable = (k: ProviderKey) => {
    if (tried.has(base + k.id)) return false
    const s = store.key(k.hash)
    if (keyStatus(s, now) !== 'active' || modelRestUntil(s, model) > now) return false
    return k.maxConcurrency === null || s.inFlight < k.maxConcurrency
  }
  switch (p.keyStrategy) {
    case 'fill-first':
      return keys.find(usable)
    case 'round-robin': {
      for (let i = 0; i < n; i++) {
        const k = keys[(p.cursor + i) % n]!
        if (usable(k)) {
          p.cursor = (p.cursor + i + 1) % n
          return k
        }
      }
      return undefined
    }
    case 'least-used': {
      let best: ProviderKey | undefined
      let bestLoad = Infinity
      let bestTotal = Infinity
      for (const k of keys) {
        if (!usable(k)) continue
        const s = store.key(k.hash)
        if (s.inFlight < bestLoad || (s.inFlight === bestLoad && s.requests < bestTotal)) {
          best = k
          bestLoad = s.inFlight
          bestTotal = s.requests
        }
      }
      return best
    }
    case 'random':
    case 'weighted': {
      const cands = keys.filter(usable)
      if (cands.length === 0) return undefined
      if (p.keyStrategy === 'random') return cands[Math.floor(rand() * cands.length)]
      return weightedPick(cands, rand)
    }
  }
}

export function weightedPick<T extends { weight: number }>(items: readonly T[], rand: () => number = Math.random): T | undefined {
  let total = 0
  for (const t of items) total += t.weight
  let r = rand() * total
  for (const t of items) {
    r -= t.weight
    if (r < 0) return t
  }
  return items.at(-1)
}
