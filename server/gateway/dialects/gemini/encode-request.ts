import type { EncodedRequest } from '../../codec'
import { refuseSeveralStreamed, systemWithMoved, warning, type IRRequest, type IRToolChoice, type IRWarning } from '../../ir'
import { encodeMessages } from './encode-messages'
import { isEmptyObjectSchema, toGeminiSchema } from './schema'
import { deepMerge, isRecord, type Json } from './wire'
import { pathSegment } from '../../upstream/path-segment'

/**
 * IR → Gemini generateContent request. Decode→encode of a Gemini body gives it back except for:
 * consecutive same-role contents merged, a bare-string systemInstruction written as {parts}, an empty
 * `generationConfig: {}` omitted, schema types written UPPERCASE, `{output|content: s}` tool answers
 * written as `{result: s}`.
 */

/** Gemini's functionCallingConfig modes; naming one tool is ANY restricted to it. */
const MODE: Record<IRToolChoice['type'], 'AUTO' | 'NONE' | 'ANY'> = { auto: 'AUTO', none: 'NONE', required: 'ANY', tool: 'ANY' }

function toolChoice(tc: IRToolChoice): Json {
  return tc.type === 'tool' ? { mode: MODE.tool, allowedFunctionNames: [tc.name] } : { mode: MODE[tc.type] }
}

const LEVELS = new Set(['minimal', 'low', 'medium', 'high'])

function thinkingConfig(req: IRRequest, fromGemini: boolean, warnings: IRWarning[]): Json {
  const r = req.reasoning
  const out: Json = {}
  if (!r) return out
  if (!r.enabled) {
    out.thinkingBudget = 0
    return out
  }
  if (r.budgetTokens !== undefined) {
    out.thinkingBudget = r.budgetTokens
    if (r.effort !== undefined) warnings.push(warning('dropped', 'reasoning_effort', 'reasoning effort dropped: Gemini takes a thinking budget or a level, not both'))
  } else if (r.effort !== undefined) {
    const e = r.effort.toLowerCase()
    if (LEVELS.has(e)) out.thinkingLevel = e.toUpperCase()
    else if (e === 'none') out.thinkingLevel = 'MINIMAL'
    else if (e === 'xhigh' || e === 'max') out.thinkingLevel = 'HIGH'
    else warnings.push(warning('dropped', 'reasoning_effort', `reasoning effort '${r.effort}' has no Gemini thinkingLevel; dropped`))
    if (e === 'none' || e === 'xhigh' || e === 'max') warnings.push(warning('changed', 'reasoning_effort', `reasoning effort '${r.effort}' sent as thinkingLevel ${String(out.thinkingLevel)}`))
  }
  // A Gemini client says itself whether it wants thoughts (kept in extras); others get them.
  if (!fromGemini) out.includeThoughts = true
  return out
}

function generationConfig(req: IRRequest, gx: Json | undefined, warnings: IRWarning[]): Json {
  const g: Json = {}
  if (req.temperature !== undefined) g.temperature = req.temperature
  if (req.topP !== undefined) g.topP = req.topP
  if (req.topK !== undefined) g.topK = req.topK
  if (req.maxTokens !== undefined) g.maxOutputTokens = req.maxTokens
  if (req.stopSequences !== undefined) g.stopSequences = req.stopSequences
  if (req.candidateCount !== undefined) g.candidateCount = req.candidateCount
  if (req.presencePenalty !== undefined) g.presencePenalty = req.presencePenalty
  if (req.frequencyPenalty !== undefined) g.frequencyPenalty = req.frequencyPenalty
  if (req.seed !== undefined) g.seed = req.seed
  const rf = req.responseFormat
  if (rf?.type === 'json') g.responseMimeType = 'application/json'
  else if (rf?.type === 'text') g.responseMimeType = 'text/plain'
  else if (rf?.type === 'json-schema') {
    g.responseMimeType = 'application/json'
    if (gx?.$useResponseJsonSchema === true) g.responseJsonSchema = rf.schema
    else g.responseSchema = toGeminiSchema(rf.schema, warnings)
  }
  const tc = thinkingConfig(req, gx !== undefined, warnings)
  if (Object.keys(tc).length > 0) g.thinkingConfig = tc
  return isRecord(gx?.generationConfig) ? deepMerge(g, gx.generationConfig) : g
}

export function encodeRequest(req: IRRequest): EncodedRequest {
  refuseSeveralStreamed(req, 'Gemini')
  const warnings = (req.warnings ??= [])
  const gx = req.extras?.gemini
  const model = req.model.replace(/^models\//, '')
  const path = req.stream ? `models/${pathSegment(model)}:streamGenerateContent?alt=sse` : `models/${pathSegment(model)}:generateContent`
  const body: Json = { contents: encodeMessages(req.messages, warnings, gx !== undefined) }

  const system = systemWithMoved(req, warnings)
  if (system.length > 0) body.systemInstruction = { parts: system.map((t) => ({ text: t.text })) }

  const tools: Json[] = []
  if (req.tools && req.tools.length > 0) {
    const jsonSchemaTools = Array.isArray(gx?.$jsonSchemaTools) ? gx.$jsonSchemaTools : []
    const declExtras = isRecord(gx?.$declarationExtras) ? gx.$declarationExtras : {}
    const decls = req.tools.map((t) => {
      const d: Json = { name: t.name }
      if (t.description !== undefined) d.description = t.description
      if (jsonSchemaTools.includes(t.name)) d.parametersJsonSchema = t.parameters
      else {
        const schema = toGeminiSchema(t.parameters, warnings)
        // Gemini rejects an OBJECT with no properties: a no-argument function has no `parameters`.
        if (!isEmptyObjectSchema(schema)) d.parameters = schema
      }
      const extra = declExtras[t.name]
      return isRecord(extra) ? { ...d, ...extra } : d
    })
    tools.push({ functionDeclarations: decls })
  }
  if (Array.isArray(gx?.tools)) tools.push(...(gx.tools as Json[]))
  if (tools.length > 0) body.tools = tools

  let toolConfig: Json = req.toolChoice ? { functionCallingConfig: toolChoice(req.toolChoice) } : {}
  if (isRecord(gx?.toolConfig)) toolConfig = deepMerge(toolConfig, gx.toolConfig)
  if (Object.keys(toolConfig).length > 0) body.toolConfig = toolConfig

  const gen = generationConfig(req, gx, warnings)
  if (Object.keys(gen).length > 0) body.generationConfig = gen

  if (req.parallelToolCalls === false) warnings.push(warning('dropped', 'parallel_tool_calls', 'parallel_tool_calls=false is not supported by Gemini; ignored'))
  if (req.user !== undefined) warnings.push(warning('dropped', 'user', 'user id is not supported by Gemini; dropped'))

  if (gx) {
    for (const [k, v] of Object.entries(gx)) {
      if (k.startsWith('$') || k === 'tools' || k === 'toolConfig' || k === 'generationConfig') continue
      body[k] = v
    }
  }
  return { path, body }
}
