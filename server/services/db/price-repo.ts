import type { SqlDb } from './sql-db'
import type { Price } from '../../gateway/pricing'
import { isoOf } from './admin-tokens-repo'

export async function listPrices(db: SqlDb): Promise<Array<Price & { updatedAt: string }>> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT pattern, input_per_m, output_per_m, cache_read_per_m, cache_write_per_m, updated_at
     FROM prices ORDER BY pattern`,
  )
  return rows.map((r) => ({
    pattern: r.pattern as string,
    inputPerM: Number(r.input_per_m),
    outputPerM: Number(r.output_per_m),
    cacheReadPerM: r.cache_read_per_m === null ? null : Number(r.cache_read_per_m),
    cacheWritePerM: r.cache_write_per_m === null ? null : Number(r.cache_write_per_m),
    updatedAt: isoOf(r.updated_at as string).replace(/\.\d+Z$/, 'Z'),
  }))
}

/** Adds or replaces prices and removes patterns, in one transaction. */
export async function updatePrices(db: SqlDb, upsert: Price[], remove: string[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const pattern of remove) await tx.run('DELETE FROM prices WHERE pattern = $1', [pattern])
    for (const p of upsert)
      await tx.run(
        `INSERT INTO prices (pattern, input_per_m, output_per_m, cache_read_per_m, cache_write_per_m) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (pattern) DO UPDATE SET input_per_m = excluded.input_per_m, output_per_m = excluded.output_per_m,
           cache_read_per_m = excluded.cache_read_per_m, cache_write_per_m = excluded.cache_write_per_m, updated_at = now()`,
        [p.pattern, p.inputPerM, p.outputPerM, p.cacheReadPerM, p.cacheWritePerM],
      )
  })
}

const SEEDED_KEY = 'prices.seeded_patterns'

/**
 * Adds the prices of preset models (shared/presets) to the price table, each pattern once ever:
 * a pattern already in the table (an operator's price, or migration 003's) is never overwritten,
 * and one an operator removed after it was seeded is not brought back (the seeded patterns are
 * remembered in `settings`). Returns the patterns added.
 */
export async function seedPrices(db: SqlDb, prices: readonly Price[]): Promise<string[]> {
  const added: string[] = []
  await db.transaction(async (tx) => {
    const seededRow = await tx.all<{ value: string }>('SELECT value FROM settings WHERE key = $1', [SEEDED_KEY])
    let seeded: string[] = []
    try {
      const v: unknown = seededRow[0] ? JSON.parse(seededRow[0].value) : []
      if (Array.isArray(v)) seeded = v.filter((x): x is string => typeof x === 'string')
    } catch {
      seeded = []
    }
    const present = new Set((await tx.all<{ pattern: string }>('SELECT pattern FROM prices')).map((r) => r.pattern))
    const known = new Set(seeded)
    for (const p of prices) {
      if (known.has(p.pattern)) continue
      known.add(p.pattern)
      if (present.has(p.pattern)) continue
      // ON CONFLICT: instances booting at once on one PostgreSQL seed together; the row another
      // one inserted meanwhile is kept (its transaction's insert wins, ours does nothing).
      const inserted = await tx.all<{ pattern: string }>(
        'INSERT INTO prices (pattern, input_per_m, output_per_m, cache_read_per_m, cache_write_per_m) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (pattern) DO NOTHING RETURNING pattern',
        [p.pattern, p.inputPerM, p.outputPerM, p.cacheReadPerM, p.cacheWritePerM],
      )
      if (inserted.length) added.push(p.pattern)
    }
    if (known.size !== seeded.length)
      await tx.run('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()', [SEEDED_KEY, JSON.stringify([...known])])
  })
  return added
}
