import type { EncodedRequest } from '../../codec'
import { refuseSeveralCandidates, warning, type IRRequest, type IRWarning } from '../../ir'
import { reasoningEffort } from '../openai-chat/encode-request'
import { encodeMessages } from './encode-messages'
import { DIALECT, isRecord, type Json } from './wire'
import { encodeResponseFormat } from '../_shared/response-format'
import { arr } from '../../json'

const ENCRYPTED = 'reasoning.encrypted_content'
/** Models that reason by default: ask for encrypted reasoning so the next turn can send it back. */
const REASONING_MODEL = /^(o\d|gpt-5|gpt-oss|codex)/i
/** The Responses API refuses `max_output_tokens` below this. */
export const MIN_OUTPUT_TOKENS = 16

/**
 * IR → a `POST responses` body. Stateless: `store: false` unless the client (same family) chose,
 * and `include: ['reasoning.encrypted_content']` whenever reasoning is on, is carried back, or the
 * model reasons by default. System parts become `instructions` (joined by a blank line).
 * `extras['openai-responses']` is re-emitted; its `tools` (built-in tools), `reasoning`, `text`
 * and `include` are merged with what the IR says rather than overwriting it.
 * Thinking asked for → `reasoning.summary: 'auto'` (without it the API returns no reasoning text).
 * Function tools say `strict: false` unless the client asked for strict (the API's default is strict,
 * which rejects most schemas written for other vendors). A `max_output_tokens` under 16 is raised to 16.
 * Not expressible here (warned, dropped): stop sequences, top_k, penalties, seed; n > 1 is refused.
 */
export function encodeRequest(req: IRRequest): EncodedRequest {
  refuseSeveralCandidates(req, 'OpenAI Responses')
  const warnings: IRWarning[] = []
  const { tools: extraTools, reasoning: extraReasoning, text: extraText, include: extraInclude, ...extras } = {
    ...(req.extras?.[DIALECT] ?? {}),
  } as Json

  const input = encodeMessages(req.messages, warnings, req.midSystem)
  const body: Json = { ...extras, model: req.model }
  const instructions = req.system.map((p) => p.text).join('\n\n')
  if (instructions !== '') body.instructions = instructions
  body.input = input
  if (req.stream) body.stream = true

  const tools: unknown[] = (req.tools ?? []).map((t, i) => {
    const tool: Json = { type: 'function', name: t.name }
    if (t.description !== undefined) tool.description = t.description
    tool.parameters = t.parameters
    tool.strict = t.strict === true
    if (t.cacheControl !== undefined) warnings.push(warning('dropped', `tools[${i}].cache_control`, 'cache_control on tools is not supported by the Responses API; dropped'))
    return tool
  })
  tools.push(...arr(extraTools))
  if (tools.length > 0) body.tools = tools
  if (req.toolChoice) body.tool_choice = req.toolChoice.type === 'tool' ? { type: 'function', name: req.toolChoice.name } : req.toolChoice.type
  if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls
  if (req.maxTokens !== undefined) {
    body.max_output_tokens = Math.max(req.maxTokens, MIN_OUTPUT_TOKENS)
    if (req.maxTokens < MIN_OUTPUT_TOKENS)
      warnings.push(warning('raised', 'max_output_tokens', `max_output_tokens ${req.maxTokens} raised to ${MIN_OUTPUT_TOKENS}, the Responses API's minimum`))
  }
  if (req.temperature !== undefined) body.temperature = req.temperature
  if (req.topP !== undefined) body.top_p = req.topP

  const effort = reasoningEffort(req.reasoning)
  const reasoning: Json = { ...(isRecord(extraReasoning) ? extraReasoning : {}) }
  if (effort !== undefined) reasoning.effort = effort
  // Without a summary the Responses API reasons silently: a client that asked for thinking gets none.
  if (req.reasoning?.enabled && req.reasoning.visible !== false && effort !== 'none' && reasoning.summary === undefined) reasoning.summary = 'auto'
  if (Object.keys(reasoning).length > 0) body.reasoning = reasoning

  const text: Json = { ...(isRecord(extraText) ? extraText : {}) }
  if (req.responseFormat) text.format = encodeResponseFormat(req.responseFormat, (fields) => ({ type: 'json_schema', ...fields }))
  if (Object.keys(text).length > 0) body.text = text

  if (req.user !== undefined && extras.safety_identifier !== req.user) body.user = req.user
  if (body.store === undefined) body.store = false

  const include = [...arr(extraInclude)]
  const carriesReasoning = input.some((it) => it.type === 'reasoning')
  const wantsReasoning = (req.reasoning?.enabled ?? false) || carriesReasoning || REASONING_MODEL.test(req.model)
  if (body.store === false && wantsReasoning && !include.includes(ENCRYPTED)) include.push(ENCRYPTED)
  if (include.length > 0) body.include = include

  if (req.topK !== undefined) warnings.push(warning('dropped', 'top_k', 'top_k is not supported by the Responses API; dropped'))
  if (req.stopSequences && req.stopSequences.length > 0) warnings.push(warning('dropped', 'stop', 'stop sequences are not supported by the Responses API; dropped'))
  if (req.presencePenalty !== undefined) warnings.push(warning('dropped', 'presence_penalty', 'presence_penalty is not supported by the Responses API; dropped'))
  if (req.frequencyPenalty !== undefined) warnings.push(warning('dropped', 'frequency_penalty', 'frequency_penalty is not supported by the Responses API; dropped'))
  if (req.seed !== undefined) warnings.push(warning('dropped', 'seed', 'seed is not supported by the Responses API; dropped'))
  if (warnings.length > 0) (req.warnings ??= []).push(...warnings)
  return { path: 'responses', body }
}
