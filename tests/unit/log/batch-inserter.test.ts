import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Database } from '../../../server/services/db/database'
import { RequestLogWriter } from '../../../server/services/log/request-log-writer'
import { BatchInserter } from '../../../server/services/log/batch-inserter'
import { entry } from '../ops/fakes'

let db: Database
beforeEach(async () => {
  db = await Database.open(':memory:')
})
afterEach(() => db.close())

const row = async (id: string) => (await db.all('SELECT * FROM request_log WHERE request_id = $1', [id]))[0]

describe('batched inserts: every value arrives as it was sent', () => {
  it('strings with quotes, newlines, tabs, NUL, emoji and CJK; numbers; nested attempts; the timestamp to the millisecond', async () => {
    const w = new RequestLogWriter(db)
    const ts = new Date('2026-11-27T04:05:06.789Z')
    const msg = 'upstream said "no",\nthen\tnothing \u0000 更多 😀 \\ end'
    w.push(
      entry({
        ts,
        requestId: 'r-strings',
        errorMessage: msg,
        userAgent: 'claude-cli/2.0.1 (external, cli)',
        latencyMs: 1.5e-7,
        costUsd: 0.000123,
        usage: { inputTokens: 7, outputTokens: 3, cacheReadTokens: 2, cacheWriteTokens: 1, reasoningTokens: 4 },
        attempts: [{ provider: 'p1', model: 'm', keyId: 3, status: 429, errorKind: 'rate_limit', latencyMs: 12.5 }],
        tokensEstimated: true,
        operation: 'count_tokens',
      }),
    )
    await w.close()
    expect(w.written).toBe(1)
    const r = (await db.all(`SELECT *, strftime(ts, '%Y-%m-%dT%H:%M:%S.%g') AS t FROM request_log WHERE request_id = 'r-strings'`))[0]!
    expect(r.t).toBe('2026-11-27T04:05:06.789')
    expect(r.error_message).toBe(msg)
    expect(r.user_agent).toBe('claude-cli/2.0.1 (external, cli)')
    expect(r.latency_ms).toBe(1.5e-7)
    expect(r.cost_usd).toBe(0.000123)
    expect([r.input_tokens, r.output_tokens, r.cache_read_tokens, r.cache_write_tokens, r.reasoning_tokens]).toEqual([7, 3, 2, 1, 4])
    expect(JSON.parse(r.attempts as string)).toEqual([{ provider: 'p1', model: 'm', keyId: 3, status: 429, errorKind: 'rate_limit', latencyMs: 12.5 }])
    expect([r.tokens_estimated, r.operation, r.stream, r.status]).toEqual([true, 'count_tokens', false, 200])
  })

  it('a lone surrogate from a client, a NaN latency and an absurd token count do not cost the batch its other rows', async () => {
    const w = new RequestLogWriter(db)
    w.push(entry({ requestId: 'r-before' }))
    w.push(entry({ requestId: 'r-odd', model: 'bad\ud800model', latencyMs: Number.NaN, usage: { inputTokens: 1e20, outputTokens: 2.6 } }))
    w.push(entry({ requestId: 'r-after' }))
    await w.close()
    expect([w.written, w.dropped]).toEqual([3, 0])
    const odd = await row('r-odd')
    expect(odd?.model).toBe('bad\ufffdmodel')
    expect([odd?.latency_ms, odd?.input_tokens, odd?.output_tokens]).toEqual([0, null, 3])
    expect(await row('r-before')).toBeTruthy()
    expect(await row('r-after')).toBeTruthy()
  })

  it('a row that cannot be encoded is dropped and counted alone', async () => {
    const w = new RequestLogWriter(db)
    w.push(entry({ requestId: 'r-ok' }))
    // BigInt has no JSON form: JSON.stringify throws for this row only.
    w.push(entry({ requestId: 'r-bigint', attempts: [{ provider: 'p', model: 'm', keyId: 1, status: 200, errorKind: null, latencyMs: 10n as unknown as number }] }))
    await w.close()
    expect([w.written, w.dropped]).toEqual([1, 1])
    expect(await row('r-ok')).toBeTruthy()
  })

  it('large batches are split into several statements (two lanes) and every row lands once', async () => {
    await db.run('CREATE TABLE t (ts TIMESTAMP, n INTEGER, s VARCHAR)')
    const w = new BatchInserter<number>(() => db.connect(), { table: 't', columns: [['ts', 'TIMESTAMP'], ['n', 'INTEGER'], ['s', 'VARCHAR']], row: (n) => (n % 1000 === 999 ? null : [n * 1000, n, `#${n}`]) }, { maxQueue: 100_000, intervalMs: 60_000, maxRows: 700, maxChars: 5_000 })
    for (let n = 0; n < 5_000; n++) w.push(n)
    await w.close()
    expect([w.written, w.dropped]).toEqual([4_995, 0])
    const r = (await db.all<{ c: number; s: number; x: string; mx: string }>(`SELECT count(*)::INT AS c, sum(n)::INT AS s, max(s) FILTER (WHERE n = 4998) AS x, strftime(max(ts), '%Y-%m-%d %H:%M:%S') AS mx FROM t`))[0]!
    expect(r.c).toBe(4_995)
    expect(r.s).toBe((4_999 * 5_000) / 2 - (999 + 1999 + 2999 + 3999 + 4999))
    expect(r.x).toBe('#4998')
    expect(r.mx).toBe('1970-01-01 01:23:18')
  })
})
