import type { Preset } from '../types'

export const openrouter: Preset = {
  id: 'openrouter',
  label: 'OpenRouter',
  type: 'openai',
  baseUrl: 'https://openrouter.ai/api/v1',
  // openrouter.ai/docs reasoning tokens: a `reasoning` object; answers carry `reasoning` (and reasoning_details).
  quirks: { thinking: 'reasoning_object', reasoningField: 'reasoning' },
  models: [
    { id: 'openai/gpt-5', context: 400_000, capabilities: ['tools', 'images', 'thinking', 'json'] },
    { id: 'anthropic/claude-sonnet-4.5', context: 1_000_000, capabilities: ['tools', 'images', 'thinking', 'json'] },
    { id: 'deepseek/deepseek-chat-v3.1', context: 163_840, capabilities: ['tools', 'thinking', 'json'] },
  ],
  docs: 'https://openrouter.ai/docs/api-reference/chat-completion',
}

export const groq: Preset = {
  id: 'groq',
  label: 'Groq',
  type: 'openai',
  baseUrl: 'https://api.groq.com/openai/v1',
  // console.groq.com/docs/openai: max_completion_tokens (max_tokens deprecated); reasoning_effort; the
  // message schema is strict (an assistant message with reasoning_content is refused).
  quirks: { maxTokensField: 'max_completion_tokens', thinking: 'reasoning_effort', reasoningField: 'omit' },
  models: [
    { id: 'openai/gpt-oss-120b', context: 131_072, capabilities: ['tools', 'thinking', 'json'] },
    { id: 'llama-3.3-70b-versatile', context: 131_072, capabilities: ['tools', 'json'] },
    { id: 'qwen/qwen3-32b', context: 131_072, capabilities: ['tools', 'thinking', 'json'] },
  ],
  docs: 'https://console.groq.com/docs/api-reference#chat-create',
}

export const mistral: Preset = {
  id: 'mistral',
  label: 'Mistral AI',
  type: 'openai',
  baseUrl: 'https://api.mistral.ai/v1',
  // Mistral's API forbids unknown fields (422 extra_forbidden) — stream_options, max_completion_tokens,
  // reasoning_content on messages — and puts usage in the last stream chunk unasked.
  quirks: { maxTokensField: 'max_tokens', streamUsage: false, reasoningField: 'omit', thinking: 'none' },
  models: [
    { id: 'mistral-large-latest', context: 131_072, capabilities: ['tools', 'images', 'json'] },
    { id: 'mistral-medium-latest', context: 131_072, capabilities: ['tools', 'images', 'json'] },
    { id: 'magistral-medium-latest', context: 40_000, capabilities: ['tools', 'thinking', 'json'] },
    { id: 'codestral-latest', context: 256_000, capabilities: ['tools', 'json'] },
  ],
  docs: 'https://docs.mistral.ai/api/#tag/chat',
}

export const xai: Preset = {
  id: 'xai',
  label: 'xAI (Grok)',
  type: 'openai',
  baseUrl: 'https://api.x.ai/v1',
  // Grok 4 always reasons and refuses reasoning_effort: thinking follows the model; reasoning_content where shown.
  quirks: { thinking: 'none', reasoningField: 'reasoning_content' },
  models: [
    { id: 'grok-4', context: 256_000, capabilities: ['tools', 'images', 'thinking', 'json'] },
    { id: 'grok-3-mini', context: 131_072, capabilities: ['tools', 'thinking', 'json'] },
  ],
  docs: 'https://docs.x.ai/docs/api-reference#chat-completions',
}

export const together: Preset = {
  id: 'together',
  label: 'Together AI',
  type: 'openai',
  baseUrl: 'https://api.together.xyz/v1',
  quirks: { thinking: 'reasoning_effort', reasoningField: 'reasoning' },
  models: [
    { id: 'deepseek-ai/DeepSeek-V3.1', context: 128_000, capabilities: ['tools', 'thinking', 'json'] },
    { id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', context: 131_072, capabilities: ['tools', 'json'] },
    { id: 'Qwen/Qwen3-235B-A22B-Instruct-2507-tput', context: 262_144, capabilities: ['tools', 'json'] },
  ],
  docs: 'https://docs.together.ai/reference/chat-completions-1',
}

export const fireworks: Preset = {
  id: 'fireworks',
  label: 'Fireworks AI',
  type: 'openai',
  baseUrl: 'https://api.fireworks.ai/inference/v1',
  quirks: { thinking: 'reasoning_effort', reasoningField: 'reasoning_content' },
  models: [
    { id: 'accounts/fireworks/models/deepseek-v3p1', context: 163_840, capabilities: ['tools', 'thinking', 'json'] },
    { id: 'accounts/fireworks/models/qwen3-235b-a22b', context: 131_072, capabilities: ['tools', 'thinking', 'json'] },
  ],
  docs: 'https://docs.fireworks.ai/api-reference/post-chatcompletions',
}
