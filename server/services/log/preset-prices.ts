import type { Price } from '../../gateway/pricing'
import { PRESETS } from '../../../shared/presets'

/**
 * The published prices of preset models as price-table rows (USD per million tokens), first preset
 * first when two name the same model (a vendor's own entry comes before a reseller's in PRESETS).
 * Seeded at boot by seedPrices (db/price-repo.ts), which never overwrites an operator's price.
 */
export function presetPrices(): Price[] {
  const out = new Map<string, Price>()
  for (const preset of PRESETS)
    for (const m of preset.models) {
      if (!m.price || out.has(m.id)) continue
      out.set(m.id, { pattern: m.id, inputPerM: m.price.input, outputPerM: m.price.output, cacheReadPerM: m.price.cacheRead ?? null, cacheWritePerM: m.price.cacheWrite ?? null })
    }
  return [...out.values()]
}
