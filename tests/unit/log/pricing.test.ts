import { describe, expect, it } from 'vitest'
import { costOf, PriceBook } from '../../../server/gateway/pricing'
import { useMemoryDatabase } from '../../helpers/database'
import { listPrices, updatePrices } from '../../../server/services/db/price-repo'
import { DEFAULT_PRICES } from '../../../server/services/log/price-defaults'

const book = new PriceBook([
  { pattern: 'gpt-4.1', inputPerM: 2, outputPerM: 8, cacheReadPerM: 0.5, cacheWritePerM: null },
  { pattern: 'gpt-4.1-mini', inputPerM: 0.4, outputPerM: 1.6, cacheReadPerM: 0.1, cacheWritePerM: null },
  { pattern: 'claude-*-4-5*', inputPerM: 3, outputPerM: 15, cacheReadPerM: 0.3, cacheWritePerM: 3.75 },
])

describe('pricing', () => {
  it('matches the longest pattern, dated variants and vendor prefixes', () => {
    expect(book.lookup('gpt-4.1')?.pattern).toBe('gpt-4.1')
    expect(book.lookup('gpt-4.1-2025-04-14')?.pattern).toBe('gpt-4.1')
    expect(book.lookup('gpt-4.1-mini-2025-04-14')?.pattern).toBe('gpt-4.1-mini')
    expect(book.lookup('openai/GPT-4.1-mini')?.pattern).toBe('gpt-4.1-mini')
    expect(book.lookup('claude-sonnet-4-5-20250929')?.pattern).toBe('claude-*-4-5*')
    expect(book.lookup('gpt-4.10')).toBeNull()
    expect(book.lookup('made-up')).toBeNull()
  })

  it('prices input without cached tokens, cache reads and writes apart, and output', () => {
    // 1000 prompt tokens of which 400 cache reads and 100 cache writes; 200 output.
    const usd = costOf(
      { pattern: 'x', inputPerM: 3, outputPerM: 15, cacheReadPerM: 0.3, cacheWritePerM: 3.75 },
      { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 400, cacheWriteTokens: 100 },
    )
    expect(usd).toBeCloseTo((500 * 3 + 400 * 0.3 + 100 * 3.75 + 200 * 15) / 1e6, 12)
    expect(book.cost('gpt-4.1', { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBeCloseTo(10, 9)
    expect(book.cost('nope', { inputTokens: 1, outputTokens: 1 })).toBeNull()
    expect(book.cost('gpt-4.1', null)).toBeNull()
  })

  describe('the prices table', () => {
    const mem = useMemoryDatabase()

    it('is seeded with the defaults for well-known models, and edits replace the book', async () => {
      const rows = await listPrices(mem.db)
      expect(rows.length).toBe(DEFAULT_PRICES.length)
      const b = new PriceBook(rows)
      expect(b.lookup('claude-sonnet-4-5-20250929')?.pattern).toBe('claude-sonnet-4-5')
      expect(b.lookup('claude-opus-4-5-20251101')?.inputPerM).toBe(5)
      expect(b.lookup('claude-opus-4-20250514')?.inputPerM).toBe(15)
      expect(b.lookup('gemini-2.5-flash-lite')?.outputPerM).toBe(0.4)
      expect(b.lookup('models/gemini-2.5-pro')?.inputPerM).toBe(1.25)
      expect(b.lookup('gpt-4o-mini-2024-07-18')?.pattern).toBe('gpt-4o-mini')
      expect(b.lookup('deepseek-reasoner')?.cacheReadPerM).toBe(0.028)
      await updatePrices(mem.db, [{ pattern: 'my-model', inputPerM: 1, outputPerM: 2, cacheReadPerM: null, cacheWritePerM: null }], ['gpt-4o'])
      b.replace(await listPrices(mem.db))
      expect(b.cost('my-model-v2', { inputTokens: 1e6, outputTokens: 1e6 })).toBeCloseTo(3, 9)
      expect(b.lookup('gpt-4o-2024-08-06')).toBeNull()
    })
  })
})
