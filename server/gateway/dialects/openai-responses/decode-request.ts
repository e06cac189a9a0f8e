import type { DecodeRequestContext } from '../../codec'
import { warning, type IRRequest, type IRResponseFormat, type IRTool, type IRWarning } from '../../ir'
import { invalidRequest } from '../../errors'
import { decodeMessages } from './decode-messages'
import { decodeToolChoice, type ToolChoiceShape } from '../_shared/tool-choice'
import { decodeResponseFormat } from '../_shared/response-format'
import { DIALECT, isRecord, str, type Json } from './wire'
import { optionalNumber } from '../_shared/request-fields'

/** Top-level fields the IR models; everything else goes to `extras['openai-responses']`. */
const MODELED = new Set([
  'model', 'input', 'instructions', 'tools', 'tool_choice', 'parallel_tool_calls', 'max_output_tokens',
  'temperature', 'top_p', 'reasoning', 'text', 'stream', 'user',
])

/**
 * A `POST /v1/responses` body → IR. Statefulness is refused: `previous_response_id` and
 * `conversation` need stored responses, which the gateway does not keep. Kept in extras (re-emitted
 * to a Responses upstream): store, include, metadata, service_tier, truncation, prompt_cache_key,
 * safety_identifier, built-in (non-function) tools as `tools`, `reasoning` minus effort, `text` minus format.
 */
export function decodeRequest(body: unknown, ctx: DecodeRequestContext = {}): IRRequest {
  if (!isRecord(body)) throw invalidRequest('request body must be a JSON object')
  const model = str(body.model) || ctx.model
  if (!model) throw invalidRequest('model: must be a non-empty string', 'model')
  for (const key of ['previous_response_id', 'conversation'] as const) {
    if (body[key] !== undefined && body[key] !== null) {
      throw invalidRequest(`${key}: stored conversation state is not supported by this gateway; send the full input (with reasoning items and store: false) instead`, key)
    }
  }
  if (body.input === undefined || body.input === null) throw invalidRequest('input: required', 'input')
  const warnings: IRWarning[] = []
  const extras: Json = {}
  const { system, messages, midSystem } = decodeMessages(body.input, warnings)
  if (body.instructions !== undefined && body.instructions !== null) {
    if (typeof body.instructions !== 'string') throw invalidRequest('instructions: expected a string', 'instructions')
    if (body.instructions !== '') system.unshift({ type: 'text', text: body.instructions })
  }

  const req: IRRequest = { model, stream: ctx.stream ?? body.stream === true, system, messages }
  if (midSystem.length > 0) req.midSystem = midSystem
  const tools = decodeTools(body.tools, extras, warnings)
  if (tools) req.tools = tools
  const choice = decodeToolChoice(body.tool_choice, TOOL_CHOICE)
  if (choice) req.toolChoice = choice
  if (typeof body.parallel_tool_calls === 'boolean') req.parallelToolCalls = body.parallel_tool_calls
  const max = optionalNumber(body.max_output_tokens, 'max_output_tokens')
  if (max !== undefined) req.maxTokens = max
  const temperature = optionalNumber(body.temperature, 'temperature')
  if (temperature !== undefined) req.temperature = temperature
  const topP = optionalNumber(body.top_p, 'top_p')
  if (topP !== undefined) req.topP = topP

  if (isRecord(body.reasoning)) {
    const { effort, ...rest } = body.reasoning
    if (effort !== undefined && effort !== null) {
      if (typeof effort !== 'string') throw invalidRequest('reasoning.effort: expected a string', 'reasoning.effort')
      req.reasoning = { enabled: effort !== 'none', effort }
    }
    if (Object.keys(rest).length > 0) extras.reasoning = rest
  } else if (body.reasoning !== undefined && body.reasoning !== null) {
    throw invalidRequest('reasoning: expected an object', 'reasoning')
  }
  if (isRecord(body.text)) {
    const { format, ...rest } = body.text
    const rf = decodeResponseFormat(format, 'text.format', jsonSchemaFormat)
    if (rf) req.responseFormat = rf
    if (Object.keys(rest).length > 0) extras.text = rest
  } else if (body.text !== undefined && body.text !== null) {
    throw invalidRequest('text: expected an object', 'text')
  }

  if (typeof body.user === 'string') req.user = body.user
  else if (typeof body.safety_identifier === 'string') req.user = body.safety_identifier
  for (const [k, v] of Object.entries(body)) if (!MODELED.has(k) && v !== undefined && extras[k] === undefined) extras[k] = v
  if (Object.keys(extras).length > 0) req.extras = { [DIALECT]: extras }
  if (warnings.length > 0) req.warnings = warnings
  return req
}

/** Function tools → IR; built-in tools (web_search, file_search, custom, mcp ...) → extras.tools. */
function decodeTools(v: unknown, extras: Json, warnings: IRWarning[]): IRTool[] | undefined {
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v)) throw invalidRequest('tools: expected an array', 'tools')
  const out: IRTool[] = []
  const builtin: unknown[] = []
  v.forEach((t, i) => {
    const path = `tools[${i}]`
    if (!isRecord(t)) throw invalidRequest(`${path}: expected an object`, path)
    if (t.type !== 'function') {
      if (typeof t.type !== 'string') throw invalidRequest(`${path}.type: required`, `${path}.type`)
      builtin.push(t)
      warnings.push(warning('dropped', path, `${path}: '${t.type}' tools only reach an OpenAI Responses upstream`))
      return
    }
    const name = str(t.name)
    if (!name) throw invalidRequest(`${path}.name: required`, `${path}.name`)
    if (t.parameters !== undefined && t.parameters !== null && !isRecord(t.parameters)) {
      throw invalidRequest(`${path}.parameters: expected a JSON Schema object`, `${path}.parameters`)
    }
    const tool: IRTool = { name, parameters: isRecord(t.parameters) ? t.parameters : { type: 'object', properties: {} } }
    if (typeof t.description === 'string') tool.description = t.description
    if (typeof t.strict === 'boolean') tool.strict = t.strict
    out.push(tool)
  })
  if (builtin.length > 0) extras.tools = builtin
  return out
}

const TOOL_CHOICE: ToolChoiceShape = {
  functionName: (v) => str(v.name),
  isKnownType: () => true,
  expected: "'auto', 'none', 'required' or {type:'function', name}",
}

/** `text.format` json_schema: the schema's fields stand beside `type`. */
function jsonSchemaFormat(v: Json): IRResponseFormat {
  if (!isRecord(v.schema)) throw invalidRequest('text.format.schema: expected a JSON Schema object', 'text.format.schema')
  const f: IRResponseFormat = { type: 'json-schema', schema: v.schema }
  if (typeof v.name === 'string') f.name = v.name
  if (typeof v.description === 'string') f.description = v.description
  if (typeof v.strict === 'boolean') f.strict = v.strict
  return f
}
