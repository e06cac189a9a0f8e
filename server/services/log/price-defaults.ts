import type { Price } from '../../gateway/pricing'

/**
 * Seed prices (USD per million tokens) for well-known models, written into the `prices` table by
 * migration 003 and editable afterwards (tRPC prices.update). Standard (non-batch) rates for
 * prompts within the base tier (Gemini 2.5 Pro doubles above 200k prompt tokens: not modelled).
 * Anthropic cache writes are the 5-minute rate. Numbers as published by the vendors' pricing pages,
 * checked 2026-11-27 (DeepSeek: the V3.2 list price; OpenAI/Google: list prices as of 2025-2026).
 * Vendors change prices: edit the table rather than trusting these forever.
 */
const p = (pattern: string, inputPerM: number, outputPerM: number, cacheReadPerM: number | null = null, cacheWritePerM: number | null = null): Price => ({
  pattern,
  inputPerM,
  outputPerM,
  cacheReadPerM,
  cacheWritePerM,
})

export const DEFAULT_PRICES: readonly Price[] = [
  // OpenAI (cached input as cache read; no cache-write charge).
  p('gpt-4.1', 2, 8, 0.5, 2),
  p('gpt-4.1-mini', 0.4, 1.6, 0.1, 0.4),
  p('gpt-4.1-nano', 0.1, 0.4, 0.025, 0.1),
  p('gpt-4o', 2.5, 10, 1.25, 2.5),
  p('gpt-4o-mini', 0.15, 0.6, 0.075, 0.15),
  p('o3', 2, 8, 0.5, 2),
  p('o3-mini', 1.1, 4.4, 0.55, 1.1),
  p('o3-pro', 20, 80, null, 20),
  p('o4-mini', 1.1, 4.4, 0.275, 1.1),
  p('gpt-5', 1.25, 10, 0.125, 1.25),
  p('gpt-5.1', 1.25, 10, 0.125, 1.25),
  p('gpt-5-mini', 0.25, 2, 0.025, 0.25),
  p('gpt-5-nano', 0.05, 0.4, 0.005, 0.05),
  // Anthropic: cache read 0.1x, 5-minute cache write 1.25x the input price.
  p('claude-opus-4', 15, 75, 1.5, 18.75),
  p('claude-opus-4-1', 15, 75, 1.5, 18.75),
  p('claude-opus-4-5', 5, 25, 0.5, 6.25),
  p('claude-opus-4-6', 5, 25, 0.5, 6.25),
  p('claude-opus-4-7', 5, 25, 0.5, 6.25),
  p('claude-sonnet-4', 3, 15, 0.3, 3.75),
  p('claude-sonnet-4-5', 3, 15, 0.3, 3.75),
  p('claude-haiku-4-5', 1, 5, 0.1, 1.25),
  // Google Gemini 2.5 (text input; prompts up to 200k tokens for Pro).
  p('gemini-2.5-pro', 1.25, 10, 0.125, 1.25),
  p('gemini-2.5-flash', 0.3, 2.5, 0.03, 0.3),
  p('gemini-2.5-flash-lite', 0.1, 0.4, 0.01, 0.1),
  // DeepSeek (V3.2 behind both names): cache hit / cache miss / output.
  p('deepseek-chat', 0.28, 0.42, 0.028, 0.28),
  p('deepseek-reasoner', 0.28, 0.42, 0.028, 0.28),
]
