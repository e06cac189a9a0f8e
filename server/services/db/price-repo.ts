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
