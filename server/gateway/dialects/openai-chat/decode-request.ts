import type { DecodeRequestContext } from '../../codec'
import type { IRRequest, IRResponseFormat, IRTool, IRWarning } from '../../ir'
import { GatewayError, invalidRequest } from '../../errors'
import { decodeMessages } from './decode-messages'
import { decodeToolChoice, type ToolChoiceShape } from '../_shared/tool-choice'
import { decodeResponseFormat } from '../_shared/response-format'
import { compact, DIALECT, isRecord, str, type Json } from './wire'
import { optionalNumber } from '../_shared/request-fields'

/** Top-level fields the IR models; everything else goes to `extras['openai-chat']`. */
const MODELED = new Set([
  'model', 'messages', 'tools', 'tool_choice', 'parallel_tool_calls', 'max_completion_tokens', 'max_tokens',
  'temperature', 'top_p', 'stop', 'presence_penalty', 'frequency_penalty', 'seed', 'n', 'response_format',
  'reasoning_effort', 'stream', 'stream_options', 'user',
])

export function decodeRequest(body: unknown, ctx: DecodeRequestContext = {}): IRRequest {
  if (!isRecord(body)) throw invalidRequest('request body must be a JSON object')
  const model = str(body.model) || ctx.model
  if (!model) throw invalidRequest('model: must be a non-empty string', 'model')
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw invalidRequest('messages: must be a non-empty array', 'messages')
  }
  const warnings: IRWarning[] = []
  const { system, messages, midSystem } = decodeMessages(body.messages, warnings)

  const req: IRRequest = {
    model,
    stream: ctx.stream ?? body.stream === true,
    system,
    messages,
  }
  if (midSystem.length > 0) req.midSystem = midSystem
  const tools = decodeTools(body.tools)
  if (tools) req.tools = tools
  const choice = decodeToolChoice(body.tool_choice, TOOL_CHOICE)
  if (choice) req.toolChoice = choice
  if (typeof body.parallel_tool_calls === 'boolean') req.parallelToolCalls = body.parallel_tool_calls
  const maxTokens = optionalNumber(body.max_completion_tokens, 'max_completion_tokens') ?? optionalNumber(body.max_tokens, 'max_tokens')
  if (maxTokens !== undefined) req.maxTokens = maxTokens
  assign(req, 'temperature', optionalNumber(body.temperature, 'temperature'))
  assign(req, 'topP', optionalNumber(body.top_p, 'top_p'))
  assign(req, 'presencePenalty', optionalNumber(body.presence_penalty, 'presence_penalty'))
  assign(req, 'frequencyPenalty', optionalNumber(body.frequency_penalty, 'frequency_penalty'))
  assign(req, 'seed', optionalNumber(body.seed, 'seed'))
  assign(req, 'candidateCount', optionalNumber(body.n, 'n'))
  const stop = decodeStop(body.stop)
  if (stop) req.stopSequences = stop
  const rf = decodeResponseFormat(body.response_format, 'response_format', jsonSchemaFormat)
  if (rf) req.responseFormat = rf
  const effort = body.reasoning_effort
  if (effort !== undefined && effort !== null) {
    if (typeof effort !== 'string') throw invalidRequest('reasoning_effort: expected a string', 'reasoning_effort')
    req.reasoning = { enabled: effort !== 'none', effort }
  }

  const extras: Json = {}
  const so = body.stream_options
  if (isRecord(so)) {
    if (typeof so.include_usage === 'boolean') req.includeUsage = so.include_usage
    const { include_usage: _, ...rest } = so
    if (Object.keys(rest).length > 0) extras.stream_options = rest
  }
  if (typeof body.user === 'string') req.user = body.user
  for (const [k, v] of Object.entries(body)) if (!MODELED.has(k) && v !== undefined) extras[k] = v
  if (Object.keys(extras).length > 0) req.extras = { [DIALECT]: extras }
  if (warnings.length > 0) req.warnings = warnings
  return req
}

function assign<K extends keyof IRRequest>(req: IRRequest, key: K, v: IRRequest[K] | undefined): void {
  if (v !== undefined) req[key] = v
}

function decodeStop(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v === 'string') return [v]
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[]
  throw invalidRequest('stop: expected a string or an array of strings', 'stop')
}

function decodeTools(v: unknown): IRTool[] | undefined {
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v)) throw invalidRequest('tools: expected an array', 'tools')
  return v.map((t, i) => {
    const path = `tools[${i}]`
    if (!isRecord(t)) throw invalidRequest(`${path}: expected an object`, path)
    if (t.type !== 'function') {
      throw new GatewayError('unsupported', `${path}.type: '${String(t.type)}' tools are not supported`, { param: `${path}.type` })
    }
    const fn = t.function
    if (!isRecord(fn) || !str(fn.name)) throw invalidRequest(`${path}.function.name: required`, `${path}.function.name`)
    if (fn.parameters !== undefined && fn.parameters !== null && !isRecord(fn.parameters)) {
      throw invalidRequest(`${path}.function.parameters: expected a JSON Schema object`, `${path}.function.parameters`)
    }
    const tool: IRTool = {
      name: fn.name as string,
      parameters: isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} },
    }
    if (typeof fn.description === 'string') tool.description = fn.description
    if (typeof fn.strict === 'boolean') tool.strict = fn.strict
    return tool
  })
}

const TOOL_CHOICE: ToolChoiceShape = {
  functionName: (v) => (isRecord(v.function) ? str(v.function.name) : undefined),
  isKnownType: (type) => type === 'allowed_tools' || type === 'custom',
  expected: "'auto', 'none', 'required' or {type:'function', function:{name}}",
}

/** `response_format.json_schema`: the schema's fields stand one level down. */
function jsonSchemaFormat(v: Json): IRResponseFormat {
  const js = v.json_schema
  if (!isRecord(js)) throw invalidRequest('response_format.json_schema: required', 'response_format.json_schema')
  const schema = isRecord(js.schema) ? js.schema : {}
  return compact({
    type: 'json-schema' as const,
    name: str(js.name),
    description: str(js.description),
    schema,
    strict: typeof js.strict === 'boolean' ? js.strict : undefined,
  })
}
