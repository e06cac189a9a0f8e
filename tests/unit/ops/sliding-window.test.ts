import { describe, expect, it } from 'vitest'
import { SlidingWindow, quantile } from '../../../server/services/ops/sliding-window'
import { EndpointMonitor } from '../../../server/services/ops/endpoint-monitor'
import { entry } from './fakes'

describe('SlidingWindow', () => {
  it('computes counts, errors and nearest-rank percentiles', () => {
    const w = new SlidingWindow(60_000, 10_000, 1000, () => 5_000)
    for (let i = 1; i <= 100; i++) w.record(i, i % 10 === 0)
    const s = w.stats()
    expect(s.count).toBe(100)
    expect(s.errors).toBe(10)
    expect(s.errorRate).toBeCloseTo(0.1)
    expect(s.latencyMs).toEqual({ p50: 50, p95: 95, p99: 99, max: 100 })
  })

  it('forgets buckets older than the window', () => {
    let now = 0
    const w = new SlidingWindow(30_000, 10_000, 100, () => now)
    w.record(1000, true)
    now = 25_000
    w.record(10, false)
    expect(w.stats().count).toBe(2)
    now = 45_000
    expect(w.stats()).toMatchObject({ count: 1, errors: 0, latencyMs: { p50: 10 } })
    now = 100_000
    expect(w.stats()).toMatchObject({ count: 0, latencyMs: { p50: null } })
  })

  it('keeps at most samplesPerBucket latencies per bucket', () => {
    const w = new SlidingWindow(60_000, 10_000, 8, () => 1)
    for (let i = 0; i < 10_000; i++) w.record(i, false)
    expect(w.stats().count).toBe(10_000)
    expect((w as any).buckets[0].samples).toHaveLength(8)
  })

  it('quantile of nothing is null', () => expect(quantile([], 0.5)).toBeNull())
})

describe('EndpointMonitor', () => {
  it('keys by dialect and stream, and counts in-band stream errors', () => {
    const m = new EndpointMonitor()
    m.push(entry({ latencyMs: 100 }))
    m.push(entry({ latencyMs: 300, status: 502, errorKind: 'connection' }))
    m.push(entry({ dialect: 'anthropic', stream: true, status: 200, errorKind: 'connection' }))
    const snap = m.snapshot()
    expect(snap.windowSeconds).toBe(300)
    expect(snap.endpoints.map((e) => e.endpoint)).toEqual(['anthropic:stream', 'openai-chat'])
    expect(snap.endpoints[1]).toMatchObject({ count: 2, errors: 1, totalCount: 2, latencyMs: { p50: 100, p99: 300 } })
    expect(snap.endpoints[0]).toMatchObject({ count: 1, errors: 1, stream: true })
  })
})
