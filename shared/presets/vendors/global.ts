import type { Preset } from '../types'

// Prices: USD per million tokens from the vendors' pricing pages as checked on 2026-11-27 for
// server/services/log/price-defaults.ts (openai.com/api/pricing, anthropic.com/pricing,
// ai.google.dev/gemini-api/docs/pricing); standard tier, prompts within the base tier.

export const openai: Preset = {
  id: 'openai',
  label: 'OpenAI',
  type: 'openai',
  baseUrl: 'https://api.openai.com/v1',
  // OpenAI's reasoning models refuse max_tokens; its schema refuses unknown message fields such as reasoning_content.
  quirks: { maxTokensField: 'max_completion_tokens', thinking: 'reasoning_effort', reasoningField: 'omit' },
  models: [
    { id: 'gpt-5', context: 400_000, capabilities: ['tools', 'images', 'thinking', 'json'], price: { input: 1.25, output: 10, cacheRead: 0.125 } },
    { id: 'gpt-5-mini', context: 400_000, capabilities: ['tools', 'images', 'thinking', 'json'], price: { input: 0.25, output: 2, cacheRead: 0.025 } },
    { id: 'gpt-4.1', context: 1_047_576, capabilities: ['tools', 'images', 'json'], price: { input: 2, output: 8, cacheRead: 0.5 } },
    { id: 'gpt-4o-mini', context: 128_000, capabilities: ['tools', 'images', 'json'], price: { input: 0.15, output: 0.6, cacheRead: 0.075 } },
  ],
  docs: 'https://platform.openai.com/docs/api-reference/chat',
}

export const anthropic: Preset = {
  id: 'anthropic',
  label: 'Anthropic',
  type: 'anthropic',
  baseUrl: 'https://api.anthropic.com/v1',
  models: [
    { id: 'claude-opus-4-5', context: 200_000, capabilities: ['tools', 'images', 'thinking', 'json'], price: { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 } },
    { id: 'claude-sonnet-4-5', context: 200_000, capabilities: ['tools', 'images', 'thinking', 'json'], price: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } },
    { id: 'claude-haiku-4-5', context: 200_000, capabilities: ['tools', 'images', 'thinking', 'json'], price: { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 } },
  ],
  docs: 'https://docs.anthropic.com/en/api/messages',
}

export const gemini: Preset = {
  id: 'gemini',
  label: 'Google Gemini (AI Studio)',
  type: 'gemini',
  baseUrl: 'https://generativelanguage.googleapis.com/v1beta',
  models: [
    { id: 'gemini-2.5-pro', context: 1_048_576, capabilities: ['tools', 'images', 'thinking', 'json'], price: { input: 1.25, output: 10, cacheRead: 0.125 } },
    { id: 'gemini-2.5-flash', context: 1_048_576, capabilities: ['tools', 'images', 'thinking', 'json'], price: { input: 0.3, output: 2.5, cacheRead: 0.03 } },
    { id: 'gemini-2.5-flash-lite', context: 1_048_576, capabilities: ['tools', 'images', 'thinking', 'json'], price: { input: 0.1, output: 0.4, cacheRead: 0.01 } },
  ],
  docs: 'https://ai.google.dev/api/generate-content',
}
