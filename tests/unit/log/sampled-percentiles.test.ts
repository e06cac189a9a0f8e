import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../../server/services/db/database'
import { Reader } from '../../../server/services/db/reader'
import { EXACT_QUANTILE_ROWS, statsBreakdown, statsSeries, statsSummary } from '../../../server/services/db/stats-repo'

// Above EXACT_QUANTILE_ROWS matching rows the stats estimate percentiles from reservoir samples: the
// answer says so, and the estimate stays close to the exact value.
const NOW = new Date('2026-06-01T12:00:00Z')
const ROWS = EXACT_QUANTILE_ROWS + 50_000
let db: Database
let reader: Reader

beforeAll(async () => {
  db = await Database.open(':memory:')
  // Latency i mod 1000 + 1 ms: p50 = 500.5, p95 = 950.05, p99 = 990.01 exactly, in every model group.
  await db.run(
    `INSERT INTO request_log (ts, request_id, dialect, model, stream, status, latency_ms)
     SELECT TIMESTAMP '2026-06-01 11:00:00' - to_milliseconds(i * 10), 'r' || i, 'openai-chat', 'm' || (i % 3), false, 200, (i * 7919 % 1000) + 1
     FROM range(${ROWS}) t(i)`,
  )
  reader = new Reader(await db.connect())
})
afterAll(() => {
  reader.close()
  db.close()
})

const near = (v: number | null, exact: number) => expect(Math.abs((v ?? 0) - exact) / exact).toBeLessThan(0.03)

describe('percentiles over many rows', () => {
  it('summary, series and breakdown say they sampled, and the estimates are within 3% of exact', async () => {
    const range = { from: new Date(NOW.getTime() - 86_400_000), to: NOW }
    const sum = await statsSummary(reader, range, NOW)
    expect(sum.totals.requests).toBe(ROWS)
    expect(sum.exactPercentiles).toBe(false)
    near(sum.totals.latencyMs.p50, 500.5)
    near(sum.totals.latencyMs.p95, 950.05)
    near(sum.totals.latencyMs.p99, 990.01)

    const by = await statsBreakdown(reader, { ...range, by: 'model' }, NOW)
    expect(by.exactPercentiles).toBe(false)
    expect(by.groups).toHaveLength(3)
    for (const g of by.groups) near(g.latencyMs.p95, 950.05)

    const series = await statsSeries(reader, range, NOW)
    expect(series.exactPercentiles).toBe(false)
    expect(series.points.reduce((n, p) => n + p.requests, 0)).toBe(ROWS)
    for (const p of series.points.filter((x) => x.requests > 5_000)) near(p.latencyMs.p50, 500.5)
  })

  it('a filter that matches fewer rows gets exact percentiles again', async () => {
    const range = { from: new Date(NOW.getTime() - 86_400_000), to: NOW }
    const one = await statsSummary(reader, { ...range, model: 'm1' }, NOW)
    expect(one.totals.requests).toBe(Math.floor(ROWS / 3))
    expect(one.exactPercentiles).toBe(true)
  })

  it('a count the caller already has decides without counting again', async () => {
    const range = { from: new Date(NOW.getTime() - 86_400_000), to: NOW }
    expect((await statsSeries(reader, { ...range, rows: 10 }, NOW)).exactPercentiles).toBe(true)
    expect((await statsBreakdown(reader, { ...range, by: 'model', rows: ROWS }, NOW)).exactPercentiles).toBe(false)
  })
})
