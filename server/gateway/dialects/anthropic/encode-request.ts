/** IR request → Anthropic Messages request (`POST messages`). */
import type { EncodedRequest } from '../../codec'
import { refuseSeveralCandidates, systemWithMoved, warning, type IRRequest, type IRTool, type IRWarning } from '../../ir'
import { encodeMessages, encodeText } from './encode-messages'
import { isRecord, type Json } from './wire'

export const DEFAULT_MAX_TOKENS = 8192
const EFFORT_BUDGET: Record<string, number> = { minimal: 1024, low: 2048, medium: 8192, high: 24576, xhigh: 32768, max: 32768 }
const MIN_BUDGET = 1024
/** Budget when thinking is asked for with neither a budget nor an effort. */
const DEFAULT_BUDGET = 8192

function encodeTool(t: IRTool): Json {
  const schema = Object.keys(t.parameters).length === 0 ? { type: 'object', properties: {} } : t.parameters
  const out: Json = { name: t.name }
  if (t.description !== undefined) out.description = t.description
  out.input_schema = schema
  if (t.strict === true) out.strict = true
  if (t.cacheControl !== undefined && t.cacheControl !== null) out.cache_control = t.cacheControl
  return out
}

/** The `thinking` object for the IR reasoning config (undefined: send none). */
function encodeThinking(req: IRRequest): Json | undefined {
  const r = req.reasoning
  if (!r) return undefined
  if (!r.enabled || r.effort === 'none') return { type: 'disabled' }
  const budget = r.budgetTokens ?? (r.effort !== undefined ? EFFORT_BUDGET[r.effort] : undefined) ?? DEFAULT_BUDGET
  return { type: 'enabled', budget_tokens: Math.max(MIN_BUDGET, budget) }
}

/**
 * With thinking on, Anthropic requires the assistant turn whose tool calls the request answers to
 * start with its thinking block. Clients that do not send thinking back (Gemini CLI drops thought
 * parts; others lose the signature) produce a turn that starts with tool_use instead.
 */
function toolLoopWithoutThinking(messages: Json[]): boolean {
  const last = messages[messages.length - 1]
  const prev = messages[messages.length - 2]
  if (!last || !prev || last.role !== 'user' || prev.role !== 'assistant') return false
  const blocks = (c: unknown): Json[] => (Array.isArray(c) ? c.filter(isRecord) : [])
  if (!blocks(last.content).some((b) => b.type === 'tool_result')) return false
  const turn = blocks(prev.content)
  if (!turn.some((b) => b.type === 'tool_use')) return false
  const first = turn[0]
  return first?.type !== 'thinking' && first?.type !== 'redacted_thinking'
}

export function encodeRequest(req: IRRequest): EncodedRequest {
  refuseSeveralCandidates(req, 'Anthropic Messages')
  const warnings: IRWarning[] = []
  const extras: Json = { ...(req.extras?.anthropic ?? {}) }
  const { server_tools: serverTools, metadata, thinking: extraThinking, output_config: extraOutputConfig, ...passthrough } = extras

  // Unmodelled Anthropic fields first: modelled fields below win.
  const body: Json = { ...passthrough, model: req.model }

  const messages = encodeMessages(req.messages, warnings)
  let thinking = 'thinking' in extras ? (isRecord(extraThinking) ? extraThinking : undefined) : encodeThinking(req)
  if (thinking !== undefined && thinking.type !== 'disabled' && toolLoopWithoutThinking(messages)) {
    // Anthropic refuses the request outright; answering without thinking is the lesser loss.
    warnings.push(warning('dropped', 'thinking', 'thinking turned off for this request: the assistant turn with the pending tool call came back without its thinking block, which Anthropic requires'))
    thinking = undefined
  }
  const thinkingOn = thinking !== undefined && thinking.type !== 'disabled'
  const budget = thinking?.type === 'enabled' && typeof thinking.budget_tokens === 'number' ? thinking.budget_tokens : 0

  let maxTokens = req.maxTokens ?? Math.max(DEFAULT_MAX_TOKENS, budget > 0 ? budget + 4096 : 0)
  if (budget > 0 && maxTokens <= budget) {
    warnings.push(warning('raised', 'max_tokens', `max_tokens ${maxTokens} raised to ${budget + 4096}: Anthropic needs it above the thinking budget (${budget})`))
    maxTokens = budget + 4096
  }
  body.max_tokens = maxTokens
  body.messages = messages

  const system = systemWithMoved(req, warnings)
  if (system.length > 0) {
    const only = system[0]
    body.system = system.length === 1 && only && only.cacheControl === undefined ? only.text : system.map(encodeText)
  }

  const tools: Json[] = (req.tools ?? []).map(encodeTool)
  if (Array.isArray(serverTools)) tools.push(...serverTools.filter(isRecord))
  if (tools.length > 0 || req.tools !== undefined) body.tools = tools

  let choice: Json | undefined
  const tc = req.toolChoice
  if (tc) {
    if (tc.type === 'auto') choice = { type: 'auto' }
    else if (tc.type === 'none') choice = { type: 'none' }
    else if (tc.type === 'required') choice = { type: 'any' }
    else choice = { type: 'tool', name: tc.name }
    if (thinkingOn && (choice.type === 'any' || choice.type === 'tool')) {
      warnings.push(warning('changed', 'tool_choice', `tool_choice '${String(choice.type)}' is incompatible with Anthropic thinking; sent as 'auto'`))
      choice = { type: 'auto' }
    }
  }
  if (req.parallelToolCalls === false && (choice || tools.length > 0)) {
    choice = { ...(choice ?? { type: 'auto' }), disable_parallel_tool_use: true }
  }
  if (choice) body.tool_choice = choice

  if (req.stopSequences !== undefined) body.stop_sequences = req.stopSequences
  body.stream = req.stream

  let temperature = req.temperature
  let topP = req.topP
  let topK = req.topK
  if (temperature !== undefined && temperature > 1) {
    warnings.push(warning('changed', 'temperature', `temperature ${temperature} clamped to 1 (Anthropic range is 0..1)`))
    temperature = 1
  }
  if (thinkingOn) {
    if (temperature !== undefined && temperature !== 1) {
      warnings.push(warning('dropped', 'temperature', `temperature ${temperature} dropped: Anthropic thinking only allows 1`))
      temperature = undefined
    }
    if (topK !== undefined) {
      warnings.push(warning('dropped', 'top_k', 'top_k dropped: not allowed with Anthropic thinking'))
      topK = undefined
    }
    if (topP !== undefined && topP < 0.95) {
      warnings.push(warning('dropped', 'top_p', `top_p ${topP} dropped: Anthropic thinking allows 0.95..1 only`))
      topP = undefined
    }
  }
  if (temperature !== undefined && topP !== undefined) {
    warnings.push(warning('dropped', 'top_p', 'top_p dropped: recent Claude models reject temperature and top_p together'))
    topP = undefined
  }
  if (temperature !== undefined) body.temperature = temperature
  if (topP !== undefined) body.top_p = topP
  if (topK !== undefined) body.top_k = topK

  if (thinking !== undefined) body.thinking = thinking

  const outputConfig: Json = isRecord(extraOutputConfig) ? { ...extraOutputConfig } : {}
  const rf = req.responseFormat
  if (rf?.type === 'json-schema') outputConfig.format = { type: 'json_schema', schema: rf.schema }
  else if (rf?.type === 'json') warnings.push(warning('dropped', 'response_format', 'response_format json (no schema) has no Anthropic equivalent; ignored'))
  if (Object.keys(outputConfig).length > 0) body.output_config = outputConfig

  const meta: Json = isRecord(metadata) ? { ...metadata } : {}
  if (req.user !== undefined) meta.user_id = req.user
  if (Object.keys(meta).length > 0) body.metadata = meta

  if (req.presencePenalty !== undefined) warnings.push(warning('dropped', 'presence_penalty', 'presence_penalty is not supported by Anthropic; ignored'))
  if (req.frequencyPenalty !== undefined) warnings.push(warning('dropped', 'frequency_penalty', 'frequency_penalty is not supported by Anthropic; ignored'))
  if (req.seed !== undefined) warnings.push(warning('dropped', 'seed', 'seed is not supported by Anthropic; ignored'))
  if (warnings.length > 0) (req.warnings ??= []).push(...warnings)
  return { path: 'messages', body }
}
