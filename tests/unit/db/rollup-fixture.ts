import { PgDatabase } from '../../../server/services/db/postgres/pg-database'
import { PgReader } from '../../../server/services/db/postgres/pg-reader'
import { rollUp } from '../../../server/services/db/postgres/rollups'
import { pgServer } from '../../support/store-engines'
import { RequestLogWriter } from '../../../server/services/log/request-log-writer'
import type { StatsRow } from '../../../server/services/db/stats-repo'
import { entry } from '../ops/fakes'

/**
 * The log the hour/day rollup tests share: "now" in the middle of a minute, four days after
 * midnight, so a range back to 4 days 17 minutes ago holds whole closed days, whole hours around
 * them, loose minutes, and the open minute.
 */
export const HOUR = 3_600_000
export const DAY = 24 * HOUR
export const NOW = Date.parse('2026-06-10T15:42:31Z')
export const MODELS = ['m-a', 'm-b', 'm-c']
export const RANGE = { from: new Date(NOW - 4 * DAY - 17 * 60_000 - 5_000), to: new Date(NOW) }

/**
 * 2,400 requests spread over 4 days and 20 minutes up to NOW (mixed models, keys, statuses, tokens,
 * prices), and two more in the open minute (after the last watermark the rollups can have).
 */
export async function writeRollupFixture(db: PgDatabase): Promise<void> {
  const w = new RequestLogWriter(db)
  const n = 2_400
  const span = 4 * DAY + 20 * 60_000
  for (let i = 0; i < n; i++) {
    const ts = NOW - 1 - Math.floor(((n - 1 - i) * span) / n)
    const status = i % 13 === 0 ? 502 : i % 17 === 0 ? 429 : 200
    w.push(
      entry({
        ts: new Date(ts),
        requestId: `d${i}`,
        model: MODELS[i % 3]!,
        providerId: i % 5 === 0 ? 'p2' : 'p1',
        keyId: (i % 4) + 1,
        status,
        errorKind: status === 502 ? 'upstream_error' : status === 429 ? 'rate_limited' : i % 29 === 0 ? 'stream_broken' : null,
        latencyMs: 20 + ((i * 37) % 900),
        ttfbMs: 10 + ((i * 11) % 300),
        costUsd: i % 7 === 0 ? null : 0.0005 * ((i % 5) + 1),
        usage: { inputTokens: 10 + (i % 50), outputTokens: 3 + (i % 20) },
      }),
    )
  }
  w.push(entry({ ts: new Date(NOW - 1_000), requestId: 'open-1', model: 'm-a', latencyMs: 40 }))
  w.push(entry({ ts: new Date(NOW - 500), requestId: 'open-2', model: 'm-b', status: 500, errorKind: 'upstream_error', latencyMs: 40 }))
  await w.close()
}

const SUMS = ['requests', 'errors', 'e4', 'e5', 'eib', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'unpriced'] as const

/** A raw answer (statsSummary/Series/Breakdown under the rollup threshold) in rollupGroups' names. */
export const rawOf = (s: StatsRow) => ({
  requests: s.requests, errors: s.errors, e4: s.errors4xx, e5: s.errors5xx, eib: s.errorsInBand, input_tokens: s.inputTokens, output_tokens: s.outputTokens,
  cache_read_tokens: s.cacheReadTokens, cache_write_tokens: s.cacheWriteTokens, reasoning_tokens: s.reasoningTokens, unpriced: s.unpriced, cost_usd: s.costUsd,
})

/** A rollupGroups record's counts and sums, cost rounded as the stats round it. */
export const pick = (rec: Record<string, unknown>) => ({ ...Object.fromEntries(SUMS.map((k) => [k, rec[k]])), cost_usd: Math.round(Number(rec.cost_usd) * 1e6) / 1e6 })

/** A fresh database holding the fixture, rolled up as of NOW, and a reader on it (the tests' beforeAll). */
export async function openRolledUpLog(): Promise<{ db: PgDatabase; reader: PgReader }> {
  const db = await PgDatabase.open(await (await pgServer()).createDatabase())
  await writeRollupFixture(db)
  await rollUp(db, NOW)
  return { db, reader: new PgReader(db) }
}
