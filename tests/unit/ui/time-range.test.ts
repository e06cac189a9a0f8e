import { describe, expect, it } from 'vitest'
import { customRange, rangeSpanMs } from '../../../utils/time-range'
import { logExportUrl } from '../../../utils/log-export-url'

describe('time ranges', () => {
  it('takes a complete, ordered date pair as a custom range', () => {
    const a = new Date('2026-12-01T08:00:00Z')
    const b = new Date('2026-12-02T08:00:00Z')
    expect(customRange([a, b])).toEqual({ from: '2026-12-01T08:00:00.000Z', to: '2026-12-02T08:00:00.000Z' })
    expect(customRange([b, a])).toBeNull()
    expect(customRange([a, a])).toBeNull()
    expect(customRange(null)).toBeNull()
    expect(customRange([a, new Date('nope')])).toBeNull()
  })

  it('measures presets and custom ranges', () => {
    expect(rangeSpanMs({ since: '15m' })).toBe(900_000)
    expect(rangeSpanMs({ since: '24h' })).toBe(86_400_000)
    expect(rangeSpanMs({ since: '7d' })).toBe(7 * 86_400_000)
    expect(rangeSpanMs({ from: '2026-12-01T00:00:00Z', to: '2026-12-01T06:00:00Z' }, Date.parse('2026-12-04T00:00:00Z'))).toBe(6 * 3_600_000)
  })
})

describe('log export address', () => {
  it('carries the page filters in the route query names, trimmed, the empty ones left out', () => {
    const u = new URL(logExportUrl('csv', { range: { since: '7d' }, model: ' gpt-4.1 ', clientKey: 'alice', provider: '', status: 'error', search: 'a,b "c"' }), 'http://x')
    expect(u.pathname).toBe('/v1/admin/logs/export')
    expect(Object.fromEntries(u.searchParams)).toEqual({ format: 'csv', since: '7d', model: 'gpt-4.1', client_key: 'alice', status: 'error', search: 'a,b "c"' })
  })

  it('carries the instance filter as `instance`, the name the export route reads', () => {
    const u = new URL(logExportUrl('csv', { range: { since: '24h' }, instance: ' eu-1 ' }), 'http://x')
    expect(Object.fromEntries(u.searchParams)).toEqual({ format: 'csv', since: '24h', instance: 'eu-1' })
    expect(new URL(logExportUrl('csv', { range: { since: '24h' }, instance: '' }), 'http://x').searchParams.has('instance')).toBe(false)
  })

  it('sends a custom range as from/to', () => {
    const u = new URL(logExportUrl('jsonl', { range: { from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' } }), 'http://x')
    expect(Object.fromEntries(u.searchParams)).toEqual({ format: 'jsonl', from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' })
  })
})
