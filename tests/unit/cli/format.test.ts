import { describe, expect, it } from 'vitest'
import { formatNumber, formatRate, formatTime, formatUsd, formatValue, heading } from '../../../cli/format'
import { fields, table } from '../../../cli/output'

describe('CLI value formatting', () => {
  it('numbers read as numbers: separators, a few decimals, never float noise', () => {
    expect(formatNumber(1234567)).toBe('1,234,567')
    expect(formatNumber(18.025087999998505)).toBe('18.03')
    expect(formatNumber(0.000123456)).toBe('0.000123')
    expect(formatNumber(-2.5)).toBe('-2.5')
    expect(formatNumber(0)).toBe('0')
  })

  it('money, rates and times by their field', () => {
    expect(formatUsd(18.025087999998505)).toBe('$18.03')
    expect(formatUsd(1234.5)).toBe('$1,234.50')
    expect(formatUsd(0.0042137)).toBe('$0.00421')
    expect(formatUsd(0)).toBe('$0')
    expect(formatRate(0.012345)).toBe('1.23%')
    expect(formatValue('costUsd', 18.025087999998505)).toBe('$18.03')
    expect(formatValue('errorRate', 0.5)).toBe('50%')
    expect(formatTime('2026-12-04T16:30:30.627Z')).toBe('2026-12-04 16:30:30')
    expect(formatTime('2026-12-04 16:30:30.123')).toBe('2026-12-04 16:30:30')
    expect(formatTime('2026-12-04T18:30:30+02:00')).toBe('2026-12-04 16:30:30')
    expect(formatTime('not a time')).toBe('not a time')
  })

  it('ids stay plain; booleans, empties, lists and nested objects read as words', () => {
    expect(formatValue('id', 12345)).toBe('12345')
    expect(formatValue('keyId', 12345)).toBe('12345')
    expect(formatValue('requests', 12345)).toBe('12,345')
    expect(formatValue('enabled', true)).toBe('yes')
    expect(formatValue('owner', null)).toBe('-')
    expect(formatValue('models', ['gpt-*', 'smart'])).toBe('gpt-*, smart')
    expect(formatValue('latencyMs', { p50: 120.44, p95: 1340, p99: null })).toBe('p50=120.44 p95=1,340')
    expect(heading('latencyMs')).toBe('LATENCY MS')
    expect(heading('base_url')).toBe('BASE URL')
  })
})

describe('CLI tables', () => {
  const long = 'x'.repeat(150)
  const rows = [
    { id: 1, name: 'alpha', requests: 1234567, costUsd: 18.025087999998505, note: long },
    { id: 22, name: 'b', requests: 5, costUsd: 0, note: null },
  ]

  it('aligns every column under its heading, numbers to the right, nothing cut short', () => {
    const lines = table(rows).split('\n')
    expect(lines[0]).toBe('ID  NAME    REQUESTS  COST USD  NOTE')
    expect(lines[1]).toBe(` 1  alpha  1,234,567    $18.03  ${long}`)
    expect(lines[2]).toBe(`22  b              5        $0  -`)
    // Right-aligned numbers end where their heading ends.
    const end = lines[0]!.indexOf('REQUESTS') + 'REQUESTS'.length
    for (const l of lines.slice(1)) expect(l[end - 1]).toMatch(/\d/)
    expect(table(rows)).not.toContain('…')
  })

  it('picks and labels columns; an empty list says so', () => {
    expect(table(rows, ['name', { field: 'costUsd', label: 'COST' }]).split('\n')).toEqual(['NAME     COST', 'alpha  $18.03', 'b          $0'])
    expect(table([])).toBe('(none)')
  })

  it('one object as field / value lines, nested objects flattened into their own lines', () => {
    expect(fields({ status: 'ok', uptimeSeconds: 3600, lastError: { message: 'bad', at: '2026-12-04T16:30:30Z' }, empty: {} }).split('\n')).toEqual([
      'status              ok',
      'uptime seconds      3,600',
      'last error message  bad',
      'last error at       2026-12-04 16:30:30',
      'empty               -',
    ])
  })
})
