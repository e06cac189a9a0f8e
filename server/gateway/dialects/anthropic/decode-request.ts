/** Anthropic Messages request body → IR request. */
import { invalidRequest } from '../../errors'
import type { DecodeRequestContext } from '../../codec'
import { warning, type IRRequest, type IRResponseFormat, type IRTool, type IRToolChoice, type IRWarning } from '../../ir'
import { decodeMessages, decodeSystem } from './decode-messages'
import { isRecord, num, str, type Json } from './wire'

/** Top-level fields modelled by the IR; everything else is kept in `extras.anthropic`. */
const MODELLED = new Set([
  'model', 'messages', 'system', 'max_tokens', 'temperature', 'top_p', 'top_k', 'stop_sequences', 'stream',
  'tools', 'tool_choice', 'thinking', 'output_format', 'output_config', 'metadata',
])

function decodeTools(tools: unknown, extras: Json, warnings: IRWarning[]): IRTool[] | undefined {
  if (tools === undefined || tools === null) return undefined
  if (!Array.isArray(tools)) throw invalidRequest('tools: expected an array', 'tools')
  const out: IRTool[] = []
  const server: unknown[] = []
  tools.forEach((t: unknown, i) => {
    const path = `tools[${i}]`
    if (!isRecord(t)) throw invalidRequest(`${path}: expected an object`, path)
    const name = str(t.name)
    if (name === undefined) throw invalidRequest(`${path}.name: Field required`, `${path}.name`)
    if (t.input_schema === undefined && typeof t.type === 'string' && t.type !== 'custom') {
      server.push(t)
      warnings.push(warning('dropped', `tools[${i}]`, `tools[${i}]: Anthropic server tool '${t.type}' is only kept for an Anthropic upstream`))
      return
    }
    if (!isRecord(t.input_schema)) throw invalidRequest(`${path}.input_schema: expected an object`, `${path}.input_schema`)
    const tool: IRTool = { name, parameters: t.input_schema }
    const description = str(t.description)
    if (description !== undefined) tool.description = description
    if (typeof t.strict === 'boolean') tool.strict = t.strict
    if (t.cache_control !== undefined && t.cache_control !== null) tool.cacheControl = t.cache_control
    out.push(tool)
  })
  if (server.length > 0) extras.server_tools = server
  return out
}

function decodeToolChoice(tc: unknown, req: IRRequest): void {
  if (tc === undefined || tc === null) return
  if (!isRecord(tc)) throw invalidRequest('tool_choice: expected an object', 'tool_choice')
  let choice: IRToolChoice
  switch (tc.type) {
    case 'auto': choice = { type: 'auto' }; break
    case 'any': choice = { type: 'required' }; break
    case 'none': choice = { type: 'none' }; break
    case 'tool': {
      const name = str(tc.name)
      if (name === undefined) throw invalidRequest('tool_choice.name: Field required', 'tool_choice.name')
      choice = { type: 'tool', name }
      break
    }
    default:
      throw invalidRequest(`tool_choice.type: unknown tool choice '${String(tc.type)}'`, 'tool_choice.type')
  }
  req.toolChoice = choice
  if (tc.disable_parallel_tool_use === true) req.parallelToolCalls = false
}

function decodeFormat(f: unknown, path: string): IRResponseFormat {
  if (!isRecord(f) || f.type !== 'json_schema' || !isRecord(f.schema)) {
    throw invalidRequest(`${path}: expected {type:'json_schema', schema}`, path)
  }
  return { type: 'json-schema', schema: f.schema }
}

/** thinking + output_config.effort → reasoning; keeps what the IR cannot say in extras. */
function decodeReasoning(body: Json, req: IRRequest, extras: Json): void {
  const t = body.thinking
  const oc = isRecord(body.output_config) ? body.output_config : undefined
  const effort = oc ? str(oc.effort) : undefined
  let exact = true
  if (t !== undefined && t !== null) {
    if (!isRecord(t)) throw invalidRequest('thinking: expected an object', 'thinking')
    if (t.type === 'enabled') {
      const budget = num(t.budget_tokens)
      if (budget === undefined) throw invalidRequest('thinking.budget_tokens: Field required', 'thinking.budget_tokens')
      req.reasoning = { enabled: true, budgetTokens: budget }
      if (t.display !== undefined) exact = false
    } else if (t.type === 'disabled') {
      req.reasoning = { enabled: false }
    } else if (t.type === 'adaptive' || t.type === 'between_tools') {
      req.reasoning = { enabled: true }
      exact = false
    } else {
      throw invalidRequest(`thinking.type: unknown thinking type '${String(t.type)}'`, 'thinking.type')
    }
  }
  if (effort !== undefined) {
    req.reasoning = { ...(req.reasoning ?? { enabled: true }), effort }
    exact = false
  }
  // The encoder rebuilds `thinking` from the IR; when that would differ, the original rides in extras.
  if (!exact) extras.thinking = t ?? null
  if (oc) {
    const { format, ...rest } = oc
    if (format !== undefined && format !== null) req.responseFormat = decodeFormat(format, 'output_config.format')
    if (Object.keys(rest).length > 0) extras.output_config = rest
  }
}

export function decodeRequest(body: unknown, ctx: DecodeRequestContext = {}): IRRequest {
  if (!isRecord(body)) throw invalidRequest('request body: expected a JSON object')
  const model = str(body.model) ?? ctx.model
  if (!model) throw invalidRequest('model: Field required', 'model')
  const maxTokens = num(body.max_tokens)
  if (maxTokens === undefined) throw invalidRequest('max_tokens: Field required', 'max_tokens')
  const warnings: IRWarning[] = []
  const extras: Json = {}
  const req: IRRequest = {
    model,
    stream: typeof body.stream === 'boolean' ? body.stream : (ctx.stream ?? false),
    system: decodeSystem(body.system),
    messages: decodeMessages(body.messages),
    maxTokens,
  }
  const tools = decodeTools(body.tools, extras, warnings)
  if (tools !== undefined) req.tools = tools
  decodeToolChoice(body.tool_choice, req)
  const temperature = num(body.temperature)
  if (temperature !== undefined) req.temperature = temperature
  const topP = num(body.top_p)
  if (topP !== undefined) req.topP = topP
  const topK = num(body.top_k)
  if (topK !== undefined) req.topK = topK
  if (body.stop_sequences !== undefined) {
    const s = body.stop_sequences
    if (!Array.isArray(s) || !s.every((x) => typeof x === 'string')) {
      throw invalidRequest('stop_sequences: expected an array of strings', 'stop_sequences')
    }
    req.stopSequences = s
  }
  if (isRecord(body.metadata)) {
    const user = str(body.metadata.user_id)
    if (user !== undefined) req.user = user
    extras.metadata = body.metadata
  }
  decodeReasoning(body, req, extras)
  if (body.output_format !== undefined && body.output_format !== null) {
    req.responseFormat = decodeFormat(body.output_format, 'output_format')
  }
  for (const [k, v] of Object.entries(body)) if (!MODELLED.has(k)) extras[k] = v
  if (Object.keys(extras).length > 0) req.extras = { anthropic: extras }
  if (warnings.length > 0) req.warnings = warnings
  return req
}
