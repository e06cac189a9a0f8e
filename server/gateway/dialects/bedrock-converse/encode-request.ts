/**
 * IR request → Converse request (`POST model/{modelId}/converse` or `/converse-stream`): the model and
 * streaming are in the URL, never in the body.
 */
import type { EncodedRequest } from '../../codec'
import { refuseSeveralCandidates, systemWithMoved, warning, type IRRequest, type IRTool, type IRWarning } from '../../ir'
import { pathSegment } from '../../upstream/path-segment'
import { encodeMessages, encodeText, historyUsesTools, toolNamesInHistory } from './encode-messages'
import { DIALECT, isRecord, type Json } from './wire'

const EFFORT_BUDGET: Record<string, number> = { minimal: 1024, low: 2048, medium: 8192, high: 24576, xhigh: 32768, max: 32768 }
const MIN_BUDGET = 1024
const DEFAULT_BUDGET = 8192
/** Claude on Bedrock needs max tokens above the thinking budget; this much room is left for the answer. */
const ANSWER_ROOM = 4096

/** Converse's endpoint for a model: the model id (or inference profile ARN) as one URL-encoded path segment. */
export function conversePath(model: string, stream: boolean): string {
  return `model/${pathSegment(model)}/${stream ? 'converse-stream' : 'converse'}`
}

/** Claude models (by id, inference profile or ARN) take Anthropic's own fields in additionalModelRequestFields. */
export function isClaude(model: string): boolean {
  return /claude/i.test(model)
}

function toolSpec(t: IRTool): Json {
  const schema = Object.keys(t.parameters).length === 0 ? { type: 'object', properties: {} } : t.parameters
  const spec: Json = { name: t.name }
  if (t.description !== undefined && t.description !== '') spec.description = t.description
  spec.inputSchema = { json: schema }
  return { toolSpec: spec }
}

/**
 * `toolConfig`: the request's tools, and — because Converse refuses a conversation holding toolUse or
 * toolResult blocks without one — a declaration for each tool the history names that the request no
 * longer offers (warned: the model may call it again).
 */
function encodeToolConfig(req: IRRequest, warnings: IRWarning[], thinking: boolean): Json | undefined {
  const tools = (req.tools ?? []).map(toolSpec)
  const offered = new Set((req.tools ?? []).map((t) => t.name))
  if (historyUsesTools(req.messages)) {
    for (const name of toolNamesInHistory(req.messages)) {
      if (offered.has(name)) continue
      tools.push(toolSpec({ name, description: `Tool used earlier in this conversation`, parameters: {} }))
      warnings.push(warning('changed', 'tools', `tool '${name}' is used in the conversation but not offered; declared for Bedrock, which requires every tool in the history to be declared`))
    }
  }
  if (tools.length === 0) return undefined
  const config: Json = { tools }
  const tc = req.toolChoice
  if ((tc?.type === 'required' || tc?.type === 'tool') && thinking) {
    // Claude refuses a forced tool while it thinks (as on Anthropic's own API).
    warnings.push(warning('changed', 'tool_choice', `tool_choice '${tc.type}' is incompatible with Claude thinking; sent as auto`))
    config.toolChoice = { auto: {} }
  } else if (tc?.type === 'required') config.toolChoice = { any: {} }
  else if (tc?.type === 'tool') config.toolChoice = { tool: { name: tc.name } }
  else if (tc?.type === 'auto') config.toolChoice = { auto: {} }
  else if (tc?.type === 'none') warnings.push(warning('changed', 'tool_choice', "tool_choice 'none' has no Converse equivalent; sent as auto"))
  if (req.parallelToolCalls === false) warnings.push(warning('dropped', 'parallel_tool_calls', 'parallel_tool_calls false has no Converse equivalent; ignored'))
  return config
}

/** Claude's `thinking` for the IR reasoning config (undefined: none). */
function claudeThinking(req: IRRequest): Json | undefined {
  const r = req.reasoning
  if (!r || !r.enabled || r.effort === 'none') return undefined
  const budget = r.budgetTokens ?? (r.effort !== undefined ? EFFORT_BUDGET[r.effort] : undefined) ?? DEFAULT_BUDGET
  return { type: 'enabled', budget_tokens: Math.max(MIN_BUDGET, budget) }
}

export function encodeRequest(req: IRRequest): EncodedRequest {
  refuseSeveralCandidates(req, 'Bedrock Converse')
  const warnings: IRWarning[] = []
  // Fields of a Converse request the IR does not model (none reach here from a client today).
  const extras: Json = { ...(req.extras?.[DIALECT] ?? {}) }
  const additional: Json = isRecord(extras.additionalModelRequestFields) ? { ...extras.additionalModelRequestFields } : {}
  const body: Json = { ...extras }

  body.messages = encodeMessages(req.messages, warnings)
  const system = systemWithMoved(req, warnings).flatMap(encodeText)
  if (system.length > 0) body.system = system

  const claude = isClaude(req.model)
  const thinking = claude ? claudeThinking(req) : undefined
  if (!claude && req.reasoning?.enabled) warnings.push(warning('dropped', 'reasoning', `reasoning settings dropped: Rosetta only knows how to ask Claude models on Bedrock to think (model ${req.model})`))
  const budget = typeof thinking?.budget_tokens === 'number' ? thinking.budget_tokens : 0

  const inference: Json = {}
  let maxTokens = req.maxTokens
  if (budget > 0 && (maxTokens === undefined || maxTokens <= budget)) {
    if (maxTokens !== undefined) warnings.push(warning('raised', 'max_tokens', `max_tokens ${maxTokens} raised to ${budget + ANSWER_ROOM}: Claude needs it above the thinking budget (${budget})`))
    maxTokens = budget + ANSWER_ROOM
  }
  if (maxTokens !== undefined) inference.maxTokens = maxTokens
  let temperature = req.temperature
  let topP = req.topP
  if (thinking) {
    if (temperature !== undefined && temperature !== 1) {
      warnings.push(warning('dropped', 'temperature', `temperature ${temperature} dropped: Claude thinking only allows 1`))
      temperature = undefined
    }
    if (topP !== undefined && topP < 0.95) {
      warnings.push(warning('dropped', 'top_p', `top_p ${topP} dropped: Claude thinking allows 0.95..1 only`))
      topP = undefined
    }
  }
  if (temperature !== undefined) inference.temperature = temperature
  if (topP !== undefined) inference.topP = topP
  if (req.stopSequences !== undefined && req.stopSequences.length > 0) inference.stopSequences = req.stopSequences
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference

  const toolConfig = encodeToolConfig(req, warnings, thinking !== undefined)
  if (toolConfig) body.toolConfig = toolConfig

  if (thinking) additional.thinking = thinking
  if (req.topK !== undefined) {
    if (claude && !thinking) additional.top_k = req.topK
    else warnings.push(warning('dropped', 'top_k', claude ? 'top_k dropped: not allowed with Claude thinking' : `top_k dropped: Converse has no common field for it (model ${req.model})`))
  }
  if (Object.keys(additional).length > 0) body.additionalModelRequestFields = additional

  const rf = req.responseFormat
  if (rf && rf.type !== 'text') warnings.push(warning('dropped', 'response_format', 'response_format has no Converse equivalent; ignored'))
  if (req.presencePenalty !== undefined) warnings.push(warning('dropped', 'presence_penalty', 'presence_penalty is not supported by Converse; ignored'))
  if (req.frequencyPenalty !== undefined) warnings.push(warning('dropped', 'frequency_penalty', 'frequency_penalty is not supported by Converse; ignored'))
  if (req.seed !== undefined) warnings.push(warning('dropped', 'seed', 'seed is not supported by Converse; ignored'))
  if (req.user !== undefined) warnings.push(warning('dropped', 'user', 'the end-user id has no Converse field; ignored'))
  if (warnings.length > 0) (req.warnings ??= []).push(...warnings)
  return { path: conversePath(req.model, req.stream), body }
}
