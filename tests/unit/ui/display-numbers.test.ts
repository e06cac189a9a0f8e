import { describe, expect, it } from 'vitest'
import { costState, ratio, usdText } from '../../../utils/display-numbers'

describe('money and rates on screen', () => {
  it('shows costs with the precision they need, never $0.0000 for a small cost', () => {
    expect(usdText(12.345)).toBe('$12.35')
    expect(usdText(1)).toBe('$1.00')
    expect(usdText(0.1234)).toBe('$0.123')
    expect(usdText(0.01)).toBe('$0.010')
    expect(usdText(0.0042)).toBe('$0.0042')
    expect(usdText(0.000042)).toBe('$0.000042')
    expect(usdText(0)).toBe('$0')
    expect(usdText(null)).toBe('—')
    expect(usdText(Number.NaN)).toBe('—')
  })

  it('has no rate over zero requests', () => {
    expect(ratio(0, 0)).toBeNull()
    expect(ratio(3, 0)).toBeNull()
    expect(ratio(undefined, 10)).toBeNull()
    expect(ratio(1, 4)).toBe(0.25)
    expect(ratio(0, 4)).toBe(0)
  })

  it('tells a free sum from one that left unpriced requests out', () => {
    expect(costState(0.5, 0)).toBe('priced')
    expect(costState(0, 0)).toBe('priced')
    expect(costState(0.5, 3)).toBe('partial')
    expect(costState(0, 3)).toBe('none')
    expect(costState(null, 3)).toBe('none')
  })
})
