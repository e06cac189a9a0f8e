/**
 * How money and rates read on screen. Pure (no language), so they can be tested; the composables'
 * fmt* helpers add the chosen language where it matters.
 */

/**
 * US dollars with the precision a cost needs: cents from $1 up, three decimals below that, and two
 * significant digits under a cent ($0.00042, not $0.0004 or $0.0000). Null: no cost known.
 */
export function usdText(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—'
  if (n === 0) return '$0'
  const a = Math.abs(n)
  const digits = a >= 1 ? 2 : a >= 0.01 ? 3 : Math.min(8, 1 - Math.floor(Math.log10(a)))
  return `${n < 0 ? '-' : ''}$${a.toFixed(digits)}`
}

/** A share of a whole; null over nothing (0 of 0 requests has no error rate, it is not 0%). */
export function ratio(part: number | null | undefined, whole: number | null | undefined): number | null {
  if (!whole || part === null || part === undefined || !Number.isFinite(part) || !Number.isFinite(whole)) return null
  return part / whole
}

/**
 * A cost where some requests had no price: their cost is unknown, so it is not added as $0.
 * `none`: nothing priced at all (show "no price"); `partial`: the sum covers the priced requests only.
 */
export function costState(costUsd: number | null | undefined, unpriced: number | null | undefined): 'priced' | 'partial' | 'none' {
  if (!unpriced) return 'priced'
  return costUsd ? 'partial' : 'none'
}
