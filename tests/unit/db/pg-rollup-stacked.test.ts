import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PgDatabase } from '../../../server/services/db/postgres/pg-database'
import type { PgReader } from '../../../server/services/db/postgres/pg-reader'
import { rollupGroups, rollupPlan } from '../../../server/services/db/postgres/pg-rollup-stats'
import { stackedFromRollups, statsStacked } from '../../../server/services/db/stats-repo'
import type { LogReader } from '../../../server/services/db/reader'
import { pgAvailable } from '../../support/pg-server'
import { RANGE, openRolledUpLog } from './rollup-fixture'

/**
 * The dashboard's stacked charts (statsStacked) from the hour/day rollups: the same top-N, "other"
 * and buckets as the raw answer; and a failing query among rollupGroups' parallel ones.
 */
describe.skipIf(!pgAvailable && !process.env.CI)('stacked stats from the rollups on PostgreSQL', () => {
  let db: PgDatabase
  let reader: PgReader
  const f = { from: RANGE.from, to: RANGE.to }
  beforeAll(async () => {
    ;({ db, reader } = await openRolledUpLog())
  }, 60_000)
  afterAll(async () => {
    await db.close()
  })

  it('equals the raw answer: by model and provider, top 1/2/6, daily, hourly and 15-minute buckets, with and without filters', async () => {
    const plan = await rollupPlan(reader, f, RANGE, 0)
    expect(plan).not.toBeNull()
    let compared = 0
    for (const by of ['model', 'provider'] as const)
      for (const top of [1, 2, 6])
        for (const bucketSeconds of [86_400, 3_600, 900])
          for (const filter of [{}, { keyId: 2 }, { status: 'error' as const }]) {
            // ~2,400 rows: under the rollup threshold, so statsStacked answers from the raw rows.
            const raw = await statsStacked(reader, { ...f, ...filter, by, top, bucketSeconds }, RANGE.to)
            const rolled = await stackedFromRollups(reader, { ...f, ...filter }, RANGE, plan!, bucketSeconds, by === 'model' ? 'model' : 'provider_id', top)
            const what = JSON.stringify({ by, top, bucketSeconds, filter })
            expect(rolled.keys, what).toEqual(raw.keys)
            expect(rolled.points, what).toEqual(raw.points)
            expect(raw.points.length, what).toBeGreaterThan(0)
            compared++
          }
    expect(compared).toBe(54)
  })

  it('statsStacked reads the rollups once they hold more than the threshold: a changed day slice shows in its answer', async () => {
    const q = { ...f, by: 'model' as const, bucketSeconds: 86_400 }
    const raw = await statsStacked(reader, { ...q, top: 3 }, RANGE.to)
    const mc = raw.points.find((p) => p.t === '2026-06-08T00:00:00Z' && p.key === 'm-c')!
    expect(mc.requests).toBeGreaterThan(100)
    // A million more requests on 06-08 for m-c, in the slices the unfiltered stats read: the range
    // now holds far more than EXACT_QUANTILE_ROWS, so the rollups answer, and m-c is the busiest.
    const bump = (n: number) =>
      db.run(`UPDATE request_stats_slice SET requests = requests + ${n} WHERE grain = 'day' AND at = '2026-06-08' AND (dim = '' OR (dim = 'model' AND value = 'm-c'))`)
    await bump(1_000_000)
    try {
      const rolled = await statsStacked(reader, { ...q, top: 1 }, RANGE.to)
      expect(rolled.keys).toEqual(['m-c'])
      expect(rolled.points.find((p) => p.t === '2026-06-08T00:00:00Z' && p.key === 'm-c')!.requests).toBe(mc.requests + 1_000_000)
      // Everything else is "other": the sum of the other models per day, unchanged.
      const others = (t: string) => raw.points.filter((p) => p.t === t && p.key !== 'm-c').reduce((n, p) => n + p.requests, 0)
      for (const p of rolled.points.filter((p) => p.key === null)) expect(p.requests, p.t).toBe(others(p.t))
    } finally {
      await bump(-1_000_000)
    }
  })

  it('a failing query among the parallel ones: its error is thrown once all have settled, and no rejection goes unhandled', async () => {
    const plan = await rollupPlan(reader, f, RANGE, 0)
    // The raw parts (before the first whole minute, and the open minute) fail: their counts and their histograms.
    const failing: LogReader = {
      engine: 'postgres',
      all: (sql, params) => (/FROM request_log WHERE/.test(sql) ? Promise.reject(new Error('raw read failed')) : reader.all(sql, params)),
      run: (sql, params) => reader.run(sql, params),
      close: () => undefined,
    }
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown) => unhandled.push(e)
    process.on('unhandledRejection', onUnhandled)
    try {
      await expect(rollupGroups(failing, f, RANGE, plan!, { kind: 'all' })).rejects.toThrow('raw read failed')
      await expect(rollupGroups(failing, f, RANGE, plan!, { kind: 'dim', col: 'model', withProvider: false })).rejects.toThrow('raw read failed')
      // Node reports an unhandled rejection once the microtasks run dry: give it two turns of the loop.
      for (let i = 0; i < 2; i++) await new Promise((r) => setImmediate(r))
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
    expect(unhandled).toEqual([])
  })
})
