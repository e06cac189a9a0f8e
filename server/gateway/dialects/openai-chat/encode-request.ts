import type { EncodedRequest, EncodeRequestOptions } from '../../codec'
import { refuseSeveralStreamed, warning, type IRReasoningConfig, type IRRequest, type IRToolChoice, type IRWarning } from '../../ir'
import { encodeMessages } from './encode-messages'
import { DIALECT, isRecord, type Json } from './wire'
import { encodeResponseFormat } from '../_shared/response-format'

/**
 * IR → a Chat Completions request for an OpenAI or OpenAI-compatible upstream.
 * - `max_tokens` by default (DeepSeek, vLLM and Ollama only know it); `max_completion_tokens` when the
 *   upstream wants that instead (OpenAI's own API: its reasoning models refuse `max_tokens`).
 * - streaming always asks for usage (the gateway logs it); the client's own wish is honoured by
 *   the stream encoder.
 * - `extras['openai-chat']` (fields the IR does not model) are re-emitted as they came.
 */
export function encodeRequest(req: IRRequest, opts?: EncodeRequestOptions): EncodedRequest {
  refuseSeveralStreamed(req, 'OpenAI Chat Completions')
  const warnings: IRWarning[] = []
  const extras: Json = { ...(req.extras?.[DIALECT] ?? {}) }
  const extraStreamOptions = isRecord(extras.stream_options) ? extras.stream_options : undefined
  delete extras.stream_options

  const body: Json = { ...extras, model: req.model, messages: encodeMessages(req.system, req.messages, warnings, req.midSystem) }
  if (req.stream) {
    body.stream = true
    body.stream_options = { ...extraStreamOptions, include_usage: true }
  }
  if (req.tools && req.tools.length > 0) {
    body.tools = req.tools.map((t, i) => {
      const fn: Json = { name: t.name }
      if (t.description !== undefined) fn.description = t.description
      fn.parameters = t.parameters
      if (t.strict !== undefined) fn.strict = t.strict
      if (t.cacheControl !== undefined) warnings.push(warning('dropped', `tools[${i}].cache_control`, 'cache_control on tools is not supported by OpenAI Chat Completions; dropped'))
      return { type: 'function', function: fn }
    })
  }
  if (req.toolChoice) body.tool_choice = encodeToolChoice(req.toolChoice)
  if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls
  if (req.maxTokens !== undefined) body[opts?.maxTokensField ?? 'max_tokens'] = req.maxTokens
  if (req.temperature !== undefined) body.temperature = req.temperature
  if (req.topP !== undefined) body.top_p = req.topP
  if (req.topK !== undefined) warnings.push(warning('dropped', 'top_k', 'top_k is not supported by OpenAI Chat Completions; dropped'))
  if (req.stopSequences && req.stopSequences.length > 0) body.stop = req.stopSequences
  if (req.presencePenalty !== undefined) body.presence_penalty = req.presencePenalty
  if (req.frequencyPenalty !== undefined) body.frequency_penalty = req.frequencyPenalty
  if (req.seed !== undefined) body.seed = req.seed
  if (req.candidateCount !== undefined) body.n = req.candidateCount
  if (req.responseFormat) body.response_format = encodeResponseFormat(req.responseFormat, (fields) => ({ type: 'json_schema', json_schema: fields }))
  const effort = reasoningEffort(req.reasoning)
  if (effort !== undefined) body.reasoning_effort = effort
  if (req.user !== undefined) body.user = req.user

  if (warnings.length > 0) (req.warnings ??= []).push(...warnings)
  return { path: 'chat/completions', body }
}

function encodeToolChoice(c: IRToolChoice): unknown {
  return c.type === 'tool' ? { type: 'function', function: { name: c.name } } : c.type
}

/** Effort as given; else derived from a thinking budget; disabled without an effort → omitted. */
export function reasoningEffort(r: IRReasoningConfig | undefined): string | undefined {
  if (!r) return undefined
  if (r.effort) return r.effort
  if (!r.enabled || r.budgetTokens === undefined) return undefined
  if (r.budgetTokens <= 1024) return 'low'
  if (r.budgetTokens <= 8192) return 'medium'
  return 'high'
}
