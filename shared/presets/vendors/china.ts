import type { Preset } from '../types'

export const deepseek: Preset = {
  id: 'deepseek',
  label: 'DeepSeek',
  type: 'openai',
  // One site for everyone (api.deepseek.com serves both).
  baseUrl: 'https://api.deepseek.com/v1',
  // api-docs.deepseek.com/guides/thinking_mode: `thinking: {type: enabled|disabled}`; answers carry reasoning_content.
  quirks: { thinking: 'thinking_type', reasoningField: 'reasoning_content', maxTokensField: 'max_tokens' },
  models: [
    // Prices: api-docs.deepseek.com/quick_start/pricing, checked 2026-11-27 (V3.2 behind both names):
    // cache miss 0.28, cache hit 0.028, output 0.42.
    { id: 'deepseek-chat', context: 128_000, capabilities: ['tools', 'json'], price: { input: 0.28, output: 0.42, cacheRead: 0.028 } },
    { id: 'deepseek-reasoner', context: 128_000, capabilities: ['tools', 'thinking', 'json'], price: { input: 0.28, output: 0.42, cacheRead: 0.028 } },
  ],
  docs: 'https://api-docs.deepseek.com/',
}

export const deepseekAnthropic: Preset = {
  id: 'deepseek-anthropic',
  label: 'DeepSeek (Anthropic-compatible)',
  type: 'anthropic',
  // api-docs.deepseek.com/guides/anthropic_api: ANTHROPIC_BASE_URL=https://api.deepseek.com/anthropic (+ /v1/messages).
  baseUrl: 'https://api.deepseek.com/anthropic/v1',
  models: [
    { id: 'deepseek-chat', context: 128_000, capabilities: ['tools', 'thinking'] },
    { id: 'deepseek-reasoner', context: 128_000, capabilities: ['tools', 'thinking'] },
  ],
  docs: 'https://api-docs.deepseek.com/guides/anthropic_api',
}

export const qwen: Preset = {
  id: 'qwen',
  label: 'Qwen (Alibaba Model Studio / DashScope)',
  type: 'openai',
  baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
  baseUrlChina: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
  // alibabacloud.com/help/en/model-studio/deep-thinking: `enable_thinking` (+ `thinking_budget`), reasoning in
  // reasoning_content; Model Studio deprecated max_tokens for max_completion_tokens.
  quirks: { thinking: 'enable_thinking', reasoningField: 'reasoning_content', maxTokensField: 'max_completion_tokens' },
  models: [
    { id: 'qwen3-max', context: 262_144, capabilities: ['tools', 'thinking', 'json'] },
    { id: 'qwen-plus', context: 1_000_000, capabilities: ['tools', 'thinking', 'json'] },
    { id: 'qwen-flash', context: 1_000_000, capabilities: ['tools', 'thinking', 'json'] },
    { id: 'qwen3-vl-plus', context: 262_144, capabilities: ['tools', 'images', 'thinking'] },
  ],
  docs: 'https://www.alibabacloud.com/help/en/model-studio/compatibility-of-openai-with-dashscope',
}

export const glm: Preset = {
  id: 'glm',
  label: 'Zhipu GLM (Z.ai / BigModel)',
  type: 'openai',
  baseUrl: 'https://api.z.ai/api/paas/v4',
  baseUrlChina: 'https://open.bigmodel.cn/api/paas/v4',
  // docs.z.ai/api-reference/llm/chat-completion: `thinking: {type}` (GLM-4.5 and later), reasoning_content;
  // tool_choice accepts only "auto".
  quirks: { thinking: 'thinking_type', reasoningField: 'reasoning_content', toolChoice: 'auto' },
  models: [
    { id: 'glm-4.6', context: 200_000, capabilities: ['tools', 'thinking', 'json'] },
    { id: 'glm-4.5', context: 128_000, capabilities: ['tools', 'thinking', 'json'] },
    { id: 'glm-4.5-air', context: 128_000, capabilities: ['tools', 'thinking', 'json'] },
  ],
  docs: 'https://docs.z.ai/api-reference/llm/chat-completion',
}

export const glmAnthropic: Preset = {
  id: 'glm-anthropic',
  label: 'Zhipu GLM (Anthropic-compatible)',
  type: 'anthropic',
  baseUrl: 'https://api.z.ai/api/anthropic/v1',
  baseUrlChina: 'https://open.bigmodel.cn/api/anthropic/v1',
  // Z.ai's Claude Code guide sets ANTHROPIC_AUTH_TOKEN, i.e. a bearer token.
  auth: { header: 'authorization', template: 'Bearer {key}' },
  models: [
    { id: 'glm-4.6', context: 200_000, capabilities: ['tools', 'thinking'] },
    { id: 'glm-4.5-air', context: 128_000, capabilities: ['tools', 'thinking'] },
  ],
  docs: 'https://docs.z.ai/scenario-example/develop-tools/claude',
}

export const kimi: Preset = {
  id: 'kimi',
  label: 'Moonshot Kimi',
  type: 'openai',
  baseUrl: 'https://api.moonshot.ai/v1',
  baseUrlChina: 'https://api.moonshot.cn/v1',
  // Thinking is chosen by the model name (kimi-k2-thinking); its reasoning arrives as reasoning_content.
  quirks: { thinking: 'none', reasoningField: 'reasoning_content' },
  models: [
    // Prices: platform.moonshot.ai/docs/pricing/chat (international, USD, tax included), as archived 2026-03-26.
    { id: 'kimi-k2.5', context: 262_144, capabilities: ['tools', 'images', 'thinking', 'json'], price: { input: 0.6, output: 3, cacheRead: 0.1 } },
    { id: 'kimi-k2-0905-preview', context: 262_144, capabilities: ['tools', 'json'], price: { input: 0.6, output: 2.5, cacheRead: 0.15 } },
    { id: 'kimi-k2-thinking', context: 262_144, capabilities: ['tools', 'thinking', 'json'] },
  ],
  docs: 'https://platform.moonshot.ai/docs/api/chat',
}

export const kimiAnthropic: Preset = {
  id: 'kimi-anthropic',
  label: 'Moonshot Kimi (Anthropic-compatible)',
  type: 'anthropic',
  baseUrl: 'https://api.moonshot.ai/anthropic/v1',
  baseUrlChina: 'https://api.moonshot.cn/anthropic/v1',
  models: [
    { id: 'kimi-k2.5', context: 262_144, capabilities: ['tools', 'images', 'thinking'] },
    { id: 'kimi-k2-0905-preview', context: 262_144, capabilities: ['tools'] },
  ],
  docs: 'https://platform.moonshot.ai/docs/guide/agent-support',
}

export const doubao: Preset = {
  id: 'doubao',
  label: 'Volcengine Ark (Doubao)',
  type: 'openai',
  // BytePlus ModelArk outside China, Volcengine Ark inside.
  baseUrl: 'https://ark.ap-southeast.bytepluses.com/api/v3',
  baseUrlChina: 'https://ark.cn-beijing.volces.com/api/v3',
  // Ark's chat API: `thinking: {type: enabled|disabled|auto}`, reasoning in reasoning_content.
  quirks: { thinking: 'thinking_type', reasoningField: 'reasoning_content' },
  models: [
    { id: 'doubao-seed-1-6-251015', context: 256_000, capabilities: ['tools', 'images', 'thinking', 'json'] },
    { id: 'doubao-seed-1-6-flash-250828', context: 256_000, capabilities: ['tools', 'images', 'thinking', 'json'] },
  ],
  docs: 'https://www.volcengine.com/docs/82379/1494384',
}

export const siliconflow: Preset = {
  id: 'siliconflow',
  label: 'SiliconFlow',
  type: 'openai',
  baseUrl: 'https://api.siliconflow.com/v1',
  baseUrlChina: 'https://api.siliconflow.cn/v1',
  // docs.siliconflow.cn chat completions: `enable_thinking` and `thinking_budget` for hybrid models; reasoning_content.
  quirks: { thinking: 'enable_thinking', reasoningField: 'reasoning_content' },
  models: [
    { id: 'deepseek-ai/DeepSeek-V3.2', context: 163_840, capabilities: ['tools', 'thinking', 'json'] },
    { id: 'Qwen/Qwen3-235B-A22B-Instruct-2507', context: 262_144, capabilities: ['tools', 'json'] },
    { id: 'moonshotai/Kimi-K2-Instruct-0905', context: 262_144, capabilities: ['tools', 'json'] },
  ],
  docs: 'https://docs.siliconflow.com/en/api-reference/chat-completions/chat-completions',
}
