/**
 * Which Chat Completions field carries the output-token limit for an upstream. OpenAI deprecated
 * `max_tokens` for `max_completion_tokens`, and its reasoning models (o-series, gpt-5) refuse the old
 * one with a 400; Azure OpenAI follows OpenAI; Alibaba Model Studio deprecated `max_tokens` in 2026.
 * Most other OpenAI-compatible servers (DeepSeek, vLLM, Ollama, …) only know `max_tokens`.
 */
export type MaxTokensField = 'max_tokens' | 'max_completion_tokens'

const NEW_FIELD_HOSTS = [/^api\.openai\.com$/, /\.openai\.azure\.com$/, /^dashscope(-intl|-us)?\.aliyuncs\.com$/]

export function maxTokensFieldFor(origin: string): MaxTokensField {
  let host: string
  try {
    host = new URL(origin).hostname
  } catch {
    return 'max_tokens'
  }
  return NEW_FIELD_HOSTS.some((re) => re.test(host)) ? 'max_completion_tokens' : 'max_tokens'
}
