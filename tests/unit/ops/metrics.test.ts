import { describe, expect, it } from 'vitest'
import { GatewayMetrics } from '../../../server/services/ops/metrics'
import { PassiveProviderHealth } from '../../../server/services/ops/provider-health'
import { ModelLabeler } from '../../../server/services/ops/model-label'
import { parsePrometheusText, sumOf } from '../../helpers/prometheus'
import { answeredByFallback, entry, provider, snapshot } from './fakes'

function setup() {
  const snap = snapshot([provider('p1'), provider('p2', { keys: [] })])
  const health = new PassiveProviderHealth()
  const queue = { depth: 3, dropped: 2, written: 40 }
  const m = new GatewayMetrics({ snapshot: () => snap, logQueue: () => queue, health, mode: () => 'maintenance', version: '9.9.9' }, { defaultMetrics: false })
  return { m, health, queue, scrape: async () => parsePrometheusText(await m.text()) }
}

describe('GatewayMetrics', () => {
  it('counts requests, tokens, errors and latency by bounded labels', async () => {
    const { m, scrape } = setup()
    m.push(entry({ usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 3, reasoningTokens: 2 } }))
    m.push(entry({ stream: true, ttfbMs: 30 }))
    m.push(entry({ status: 502, errorKind: 'connection', usage: null }))
    m.push(entry({ providerId: null, model: null, status: 401, errorKind: 'authentication', usage: null }))
    const e = await scrape()
    expect(e.types.get('rosetta_requests_total')).toBe('counter')
    expect(sumOf(e, 'rosetta_requests_total', { dialect: 'openai-chat', model: 'smart', provider: 'p1', status_class: '2xx' })).toBe(2)
    expect(sumOf(e, 'rosetta_requests_total', { status_class: '5xx' })).toBe(1)
    expect(sumOf(e, 'rosetta_requests_total', { model: 'none', provider: 'none', status_class: '4xx' })).toBe(1)
    expect(sumOf(e, 'rosetta_tokens_total', { type: 'input' })).toBe(20)
    expect(sumOf(e, 'rosetta_tokens_total', { type: 'cache_read' })).toBe(3)
    expect(sumOf(e, 'rosetta_tokens_total', { type: 'reasoning' })).toBe(2)
    expect(sumOf(e, 'rosetta_errors_total', { kind: 'connection' })).toBe(1)
    expect(sumOf(e, 'rosetta_upstream_errors_total', { provider: 'p1', kind: 'connection' })).toBe(1)
    // The door's own 401 never reached a provider.
    expect(sumOf(e, 'rosetta_upstream_errors_total', { kind: 'authentication' })).toBe(0)
    expect(sumOf(e, 'rosetta_request_duration_seconds_count')).toBe(4)
    expect(sumOf(e, 'rosetta_time_to_first_token_seconds_count')).toBe(1)
    expect(sumOf(e, 'rosetta_time_to_first_token_seconds_bucket', { le: '0.05' })).toBe(1)
  })

  it('keeps counting across scrapes: a scrape neither resets nor doubles the tallied counters', async () => {
    const { m, scrape } = setup()
    m.push(entry({ usage: { inputTokens: 10, outputTokens: 5 } }))
    const first = await scrape()
    const again = await scrape()
    expect(sumOf(again, 'rosetta_requests_total')).toBe(sumOf(first, 'rosetta_requests_total'))
    expect(sumOf(again, 'rosetta_tokens_total', { type: 'input' })).toBe(10)
    m.push(entry({ usage: { inputTokens: 7, outputTokens: 1 } }))
    m.push(entry({ providerId: 'p2', usage: null }))
    const later = await scrape()
    expect(sumOf(later, 'rosetta_requests_total', { provider: 'p1' })).toBe(2)
    expect(sumOf(later, 'rosetta_requests_total', { provider: 'p2' })).toBe(1)
    expect(sumOf(later, 'rosetta_tokens_total', { provider: 'p1', type: 'input' })).toBe(17)
    expect(sumOf(later, 'rosetta_upstream_attempts_total', { provider: 'p2' })).toBe(1)
  })

  it('counts upstream stream chunks that did not parse, by provider', async () => {
    const { m, scrape } = setup()
    m.push(entry({ stream: true, unparseableChunks: 2 }))
    m.push(entry({ stream: true, providerId: 'p2', unparseableChunks: 1 }))
    m.push(entry({ stream: true }))
    const e = await scrape()
    expect(e.types.get('rosetta_stream_chunks_unparseable_total')).toBe('counter')
    expect(sumOf(e, 'rosetta_stream_chunks_unparseable_total', { provider: 'p1' })).toBe(2)
    expect(sumOf(e, 'rosetta_stream_chunks_unparseable_total', { provider: 'p2' })).toBe(1)
  })

  it('reports the data folder: writable, free bytes, failed writes, body drops, checkpoint failures (read at scrape time)', async () => {
    const snap = snapshot([provider('p1')])
    const storage = { writable: true, freeBytes: 5_000_000 as number | null, failedWrites: 0, bodiesDropped: 0, checkpointFailures: 0 }
    const m = new GatewayMetrics(
      { snapshot: () => snap, logQueue: () => ({ depth: 0, dropped: 0, written: 0 }), storage: () => storage, health: new PassiveProviderHealth(), mode: () => 'normal', version: '1' },
      { defaultMetrics: false },
    )
    let e = parsePrometheusText(await m.text())
    expect(sumOf(e, 'rosetta_storage_writable')).toBe(1)
    expect(sumOf(e, 'rosetta_data_disk_free_bytes')).toBe(5_000_000)
    Object.assign(storage, { writable: false, freeBytes: 0, failedWrites: 3, bodiesDropped: 7, checkpointFailures: 1 })
    e = parsePrometheusText(await m.text())
    expect(sumOf(e, 'rosetta_storage_writable')).toBe(0)
    expect(sumOf(e, 'rosetta_data_disk_free_bytes')).toBe(0)
    expect(sumOf(e, 'rosetta_log_failed_writes_total')).toBe(3)
    expect(sumOf(e, 'rosetta_log_bodies_dropped_total')).toBe(7)
    expect(sumOf(e, 'rosetta_db_checkpoint_failures_total')).toBe(1)
    expect(e.types.get('rosetta_log_failed_writes_total')).toBe('counter')
  })

  it('reports gauges at scrape time: keys, queue, drops, provider up, mode, version', async () => {
    const { m, queue, scrape } = setup()
    m.push(entry({ status: 502, errorKind: 'connection' }))
    let e = await scrape()
    expect(sumOf(e, 'rosetta_provider_keys', { provider: 'p1' })).toBe(1)
    expect(sumOf(e, 'rosetta_provider_keys', { provider: 'p2' })).toBe(0)
    expect(sumOf(e, 'rosetta_log_queue_depth')).toBe(3)
    expect(sumOf(e, 'rosetta_log_dropped_total')).toBe(2)
    expect(sumOf(e, 'rosetta_run_mode', { mode: 'maintenance' })).toBe(1)
    expect(sumOf(e, 'rosetta_info', { version: '9.9.9' })).toBe(1)
    // Metrics keeps its own view of health only through the health sink it was given.
    queue.dropped = 7
    e = await scrape()
    expect(sumOf(e, 'rosetta_log_dropped_total')).toBe(7)
  })

  it('counts attempts, retries and hidden upstream failures', async () => {
    const { m, scrape } = setup()
    m.push(
      answeredByFallback(),
    )
    const e = await scrape()
    expect(sumOf(e, 'rosetta_upstream_attempts_total')).toBe(2)
    expect(sumOf(e, 'rosetta_upstream_retries_total')).toBe(1)
    expect(sumOf(e, 'rosetta_upstream_errors_total', { provider: 'p1', kind: 'upstream_error' })).toBe(1)
  })
})

describe('ModelLabeler', () => {
  it('keeps configured names, caps resolved upstream models, collapses the rest', () => {
    const l = new ModelLabeler(() => new Set(['smart']), 2)
    expect(l.label({ model: 'smart', upstreamModel: 'x', providerId: 'p' })).toBe('smart')
    expect(l.label({ model: 'a', upstreamModel: 'a', providerId: 'p' })).toBe('a')
    expect(l.label({ model: 'b', upstreamModel: 'b', providerId: 'p' })).toBe('b')
    expect(l.label({ model: 'c', upstreamModel: 'c', providerId: 'p' })).toBe('other')
    expect(l.label({ model: 'a', upstreamModel: 'a', providerId: 'p' })).toBe('a')
    // An unresolved client string never becomes a label.
    expect(l.label({ model: 'req_123-random', upstreamModel: null, providerId: null })).toBe('other')
    expect(l.label({ model: null, upstreamModel: null, providerId: null })).toBe('none')
  })
})
