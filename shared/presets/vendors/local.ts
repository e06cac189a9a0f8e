import type { Preset } from '../types'

// Local servers: no key needed (an empty key pool is fine); models are whatever is loaded.

export const ollama: Preset = {
  id: 'ollama',
  label: 'Ollama',
  type: 'openai',
  baseUrl: 'http://localhost:11434/v1',
  // docs.ollama.com/api/openai-compatibility: tool_choice is not supported; reasoning arrives as `reasoning`.
  quirks: { thinking: 'reasoning_effort', reasoningField: 'reasoning', toolChoice: 'omit' },
  models: [],
  docs: 'https://docs.ollama.com/api/openai-compatibility',
  local: true,
}

export const vllm: Preset = {
  id: 'vllm',
  label: 'vLLM',
  type: 'openai',
  baseUrl: 'http://localhost:8000/v1',
  // docs.vllm.ai reasoning outputs: hybrid models are switched by chat_template_kwargs.enable_thinking.
  quirks: { thinking: 'chat_template_kwargs', reasoningField: 'reasoning_content' },
  models: [],
  docs: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html',
  local: true,
}

export const lmstudio: Preset = {
  id: 'lmstudio',
  label: 'LM Studio',
  type: 'openai',
  baseUrl: 'http://localhost:1234/v1',
  quirks: { thinking: 'none', reasoningField: 'reasoning_content' },
  models: [],
  docs: 'https://lmstudio.ai/docs/app/api/endpoints/openai',
  local: true,
}
