import type { EncodedRequest, EncodeRequestOptions } from '../../codec'
import { refuseSeveralStreamed, warning, type IRRequest, type IRWarning } from '../../ir'
import { encodeMessages } from './encode-messages'
import { DIALECT, isRecord, type Json } from './wire'
import { encodeResponseFormat } from '../_shared/response-format'
import { encodeThinking, encodeToolChoice } from './quirks'
import { DEFAULT_CHAT_QUIRKS } from '../../../../shared/presets/types'

export { reasoningEffort } from './quirks'

/**
 * IR → a Chat Completions request for an OpenAI or OpenAI-compatible upstream.
 * - `max_tokens` by default (DeepSeek, vLLM and Ollama only know it); `max_completion_tokens` when the
 *   upstream wants that instead (OpenAI's own API: its reasoning models refuse `max_tokens`).
 * - streaming always asks for usage (the gateway logs it); the client's own wish is honoured by
 *   the stream encoder.
 * - `extras['openai-chat']` (fields the IR does not model) are re-emitted as they came.
 * - the upstream's quirk switches (its preset, shared/presets) decide how thinking is switched, where
 *   earlier reasoning goes back, whether `stream_options` may be sent and which tool_choice exists.
 */
export function encodeRequest(req: IRRequest, opts?: EncodeRequestOptions): EncodedRequest {
  refuseSeveralStreamed(req, 'OpenAI Chat Completions')
  const warnings: IRWarning[] = []
  const quirks = opts?.quirks ?? DEFAULT_CHAT_QUIRKS
  const extras: Json = { ...(req.extras?.[DIALECT] ?? {}) }
  const extraStreamOptions = isRecord(extras.stream_options) ? extras.stream_options : undefined
  delete extras.stream_options

  const body: Json = { ...extras, model: req.model, messages: encodeMessages(req.system, req.messages, warnings, req.midSystem, quirks.reasoningField) }
  if (req.stream) {
    body.stream = true
    // Upstreams that refuse the field (Mistral: 422) send usage in the last chunk unasked.
    if (quirks.streamUsage) body.stream_options = { ...extraStreamOptions, include_usage: true }
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
  encodeToolChoice(body, req.toolChoice, quirks.toolChoice, warnings)
  if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls
  if (req.maxTokens !== undefined) body[opts?.quirks?.maxTokensField ?? opts?.maxTokensField ?? 'max_tokens'] = req.maxTokens
  if (req.temperature !== undefined) body.temperature = req.temperature
  if (req.topP !== undefined) body.top_p = req.topP
  if (req.topK !== undefined) warnings.push(warning('dropped', 'top_k', 'top_k is not supported by OpenAI Chat Completions; dropped'))
  if (req.stopSequences && req.stopSequences.length > 0) body.stop = req.stopSequences
  if (req.presencePenalty !== undefined) body.presence_penalty = req.presencePenalty
  if (req.frequencyPenalty !== undefined) body.frequency_penalty = req.frequencyPenalty
  if (req.seed !== undefined) body.seed = req.seed
  if (req.candidateCount !== undefined) body.n = req.candidateCount
  if (req.responseFormat) body.response_format = encodeResponseFormat(req.responseFormat, (fields) => ({ type: 'json_schema', json_schema: fields }))
  encodeThinking(body, req.reasoning, quirks.thinking, warnings)
  if (req.user !== undefined) body.user = req.user

  if (warnings.length > 0) (req.warnings ??= []).push(...warnings)
  return { path: 'chat/completions', body }
}
