import { describe, expect, it } from 'vitest'
import { bucketTimes, fillSeries, isSparse, stackSeries } from '../../../utils/chart-series'

const range = { from: '2026-12-04T10:00:30Z', to: '2026-12-04T10:05:00Z' }
const T = (m: number) => Date.parse(`2026-12-04T10:0${m}:00Z`)

describe('chart series', () => {
  it('lays buckets over the whole range, from the first bucket start', () => {
    expect(bucketTimes(range, 60)).toEqual([T(0), T(1), T(2), T(3), T(4), T(5)])
    expect(bucketTimes(range, 60, 2)).toHaveLength(2)
  })

  it('fills buckets without traffic with 0 (counts) or a gap (latency)', () => {
    const f = fillSeries(bucketTimes(range, 60), [
      { t: '2026-12-04T10:02:00Z', requests: 4, errors: 1, latencyMs: { p50: 120, p95: 300 }, inputTokens: 10, outputTokens: 5, costUsd: 0.5 },
    ])
    expect(f.requests).toEqual([0, 0, 4, 0, 0, 0])
    expect(f.errors).toEqual([0, 0, 1, 0, 0, 0])
    expect(f.p95).toEqual([null, null, 300, null, null, null])
    expect(f.cost[2]).toBe(0.5)
  })

  it('stacks groups on the same buckets, "other" only when it has traffic', () => {
    const times = bucketTimes(range, 60)
    const pts = [
      { t: '2026-12-04T10:01:00Z', key: 'gpt', requests: 2, tokens: 20, costUsd: 0.2 },
      { t: '2026-12-04T10:01:00Z', key: null, requests: 1, tokens: 5, costUsd: 0 },
      { t: '2026-12-04T10:03:00Z', key: 'claude', requests: 3, tokens: 30, costUsd: 0.3 },
    ]
    expect(stackSeries(times, ['gpt', 'claude'], pts, 'requests')).toEqual([
      { key: 'gpt', values: [0, 2, 0, 0, 0, 0] },
      { key: 'claude', values: [0, 0, 0, 3, 0, 0] },
      { key: null, values: [0, 1, 0, 0, 0, 0] },
    ])
    expect(stackSeries(times, ['gpt'], pts.slice(0, 1), 'tokens')).toEqual([{ key: 'gpt', values: [0, 20, 0, 0, 0, 0] }])
    expect(stackSeries(times, ['gpt', 'claude'], pts, 'costUsd').map((s) => s.key)).toEqual(['gpt', 'claude'])
  })

  it('calls a series sparse when lines would be slivers', () => {
    expect(isSparse([0, 0, 5, 0, 0, 0, 0, 0, 0, 0])).toBe(true)
    expect(isSparse([null, 3, null])).toBe(true)
    expect(isSparse([1, 2, 3, 4, 5, 6, 7, 8])).toBe(false)
  })
})
