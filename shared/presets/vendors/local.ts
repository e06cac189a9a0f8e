import type { ChatQuirks, Preset } from '../types'

/**
 * A server on this machine: OpenAI's wire at `http://localhost:<port>/v1`, no key needed (an empty
 * key pool is fine), and its models are whatever is loaded (none listed here).
 */
function localServer(id: string, label: string, port: number, quirks: Partial<ChatQuirks>, docs: string): Preset {
  return { id, label, type: 'openai', baseUrl: `http://localhost:${port}/v1`, quirks, models: [], docs, local: true }
}

// docs.ollama.com/api/openai-compatibility: tool_choice is not supported; reasoning arrives as `reasoning`.
export const ollama = localServer('ollama', 'Ollama', 11434, { thinking: 'reasoning_effort', reasoningField: 'reasoning', toolChoice: 'omit' }, 'https://docs.ollama.com/api/openai-compatibility')

// docs.vllm.ai reasoning outputs: hybrid models are switched by chat_template_kwargs.enable_thinking.
export const vllm = localServer('vllm', 'vLLM', 8000, { thinking: 'chat_template_kwargs', reasoningField: 'reasoning_content' }, 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html')

export const lmstudio = localServer('lmstudio', 'LM Studio', 1234, { thinking: 'none', reasoningField: 'reasoning_content' }, 'https://lmstudio.ai/docs/app/api/endpoints/openai')
