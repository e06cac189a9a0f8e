import type { IRUsage } from './ir'

/** One row of the price table, USD per million tokens. Cache prices fall back to the input price. */
export interface Price {
  pattern: string
  inputPerM: number
  outputPerM: number
  cacheReadPerM: number | null
  cacheWritePerM: number | null
}

interface Compiled {
  price: Price
  test: (name: string) => boolean
}

/**
 * The in-memory price table the hot path prices requests with: no query per request, and a model
 * name is matched against the patterns once, then remembered. A pattern is a glob (`*`) or a plain
 * name that also covers its dated/suffixed variants (`gpt-4.1` covers `gpt-4.1-2025-04-14`); the
 * longest matching pattern wins, so `gpt-4.1-mini` beats `gpt-4.1`.
 */
export class PriceBook {
  private compiled: Compiled[] = []
  private memo = new Map<string, Price | null>()

  constructor(prices: Price[] = []) {
    this.replace(prices)
  }

  /** Swaps the whole table (after an edit); requests in flight simply see one table or the other. */
  replace(prices: Price[]): void {
    this.compiled = [...prices]
      .sort((a, b) => b.pattern.replaceAll('*', '').length - a.pattern.replaceAll('*', '').length)
      .map((price) => ({ price, test: matcher(price.pattern.toLowerCase()) }))
    this.memo = new Map()
  }

  lookup(model: string): Price | null {
    let hit = this.memo.get(model)
    if (hit !== undefined) return hit
    // Vendors and routers prefix names ("models/gemini-2.5-pro", "openai/gpt-4o"): price the last segment.
    const name = model.slice(model.lastIndexOf('/') + 1).toLowerCase()
    hit = this.compiled.find((c) => c.test(name))?.price ?? null
    // Bounded: model names come from clients, and a flood of made-up names must not grow memory.
    if (this.memo.size >= 2000) this.memo.clear()
    this.memo.set(model, hit)
    return hit
  }

  /** Estimated USD for one request; null when the model has no price or there is no usage. */
  cost(model: string | null, usage: IRUsage | null): number | null {
    if (!model || !usage) return null
    const p = this.lookup(model)
    return p ? costOf(p, usage) : null
  }
}

/** `inputTokens` includes cache reads and writes (see ir/usage.ts), so those are priced apart. */
export function costOf(p: Price, u: IRUsage): number {
  const read = u.cacheReadTokens ?? 0
  const write = u.cacheWriteTokens ?? 0
  const fresh = Math.max(0, u.inputTokens - read - write)
  const usd = fresh * p.inputPerM + read * (p.cacheReadPerM ?? p.inputPerM) + write * (p.cacheWritePerM ?? p.inputPerM) + u.outputTokens * p.outputPerM
  return usd / 1_000_000
}

function matcher(pattern: string): (name: string) => boolean {
  if (pattern.includes('*')) {
    const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
    return (n) => re.test(n)
  }
  return (n) => n === pattern || (n.startsWith(pattern) && '-@:'.includes(n[pattern.length]!))
}
