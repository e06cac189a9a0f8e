import { warning, type IRRequest, type IRTool, type IRToolChoice, type IRWarning } from '../../ir'
import { invalidRequest } from '../../errors'
import { fromGeminiSchema, normalizeJsonSchemaTypes } from './schema'
import { arr, isRecord, str, type Json } from './wire'
import { optionalNumber } from '../_shared/request-fields'

/**
 * Gemini tools / toolConfig / generationConfig → IR. Whatever the IR cannot hold is returned as
 * leftovers for `extras.gemini` (codec bookkeeping keys start with `$`).
 */

export interface ToolsResult {
  tools?: IRTool[]
  /** Non-function tools (googleSearch, codeExecution, urlContext ...), kept verbatim. */
  otherTools: Json[]
  /** Declarations given as `parametersJsonSchema` (re-sent that way to Gemini). */
  jsonSchemaTools: string[]
  /** Per declaration, fields the IR has no slot for (response, responseJsonSchema, behavior ...). */
  declarationExtras: Record<string, Json>
}

export function decodeTools(v: unknown, warnings: IRWarning[]): ToolsResult {
  const res: ToolsResult = { otherTools: [], jsonSchemaTools: [], declarationExtras: {} }
  if (v === undefined) return res
  if (!Array.isArray(v)) throw invalidRequest('tools: expected an array', 'tools')
  const tools: IRTool[] = []
  v.forEach((t, i) => {
    if (!isRecord(t)) throw invalidRequest(`tools[${i}]: expected an object`, `tools[${i}]`)
    const { functionDeclarations, ...other } = t
    if (Object.keys(other).length > 0) {
      res.otherTools.push(other)
      warnings.push(warning('dropped', `tools[${i}]`, `tools[${i}]: ${Object.keys(other).join(', ')} kept for a Gemini upstream only`))
    }
    arr(functionDeclarations).forEach((d, j) => {
      const at = `tools[${i}].functionDeclarations[${j}]`
      if (!isRecord(d)) throw invalidRequest(`${at}: expected an object`, at)
      const { name, description, parameters, parametersJsonSchema, ...rest } = d
      if (typeof name !== 'string' || !name) throw invalidRequest(`${at}.name: required`, `${at}.name`)
      let params: Record<string, unknown>
      if (isRecord(parametersJsonSchema)) {
        params = normalizeJsonSchemaTypes(parametersJsonSchema) as Json
        res.jsonSchemaTools.push(name)
      } else if (isRecord(parameters)) params = fromGeminiSchema(parameters)
      else params = { type: 'object', properties: {} }
      const tool: IRTool = { name, parameters: params }
      if (typeof description === 'string') tool.description = description
      tools.push(tool)
      if (Object.keys(rest).length > 0) res.declarationExtras[name] = rest
    })
  })
  if (tools.length > 0) res.tools = tools
  return res
}

export function decodeToolConfig(v: unknown): { toolChoice?: IRToolChoice; leftovers?: Json } {
  if (v === undefined) return {}
  if (!isRecord(v)) throw invalidRequest('toolConfig: expected an object', 'toolConfig')
  const { functionCallingConfig: fcc, ...rest } = v
  const leftovers: Json = { ...rest }
  let toolChoice: IRToolChoice | undefined
  if (isRecord(fcc)) {
    const { mode, allowedFunctionNames, ...fccRest } = fcc
    const names = arr(allowedFunctionNames).filter((n): n is string => typeof n === 'string')
    const fccLeft: Json = { ...fccRest }
    switch (mode) {
      case 'AUTO':
        toolChoice = { type: 'auto' }
        break
      case 'NONE':
        toolChoice = { type: 'none' }
        break
      case 'ANY':
        if (names.length === 1) toolChoice = { type: 'tool', name: names[0]! }
        else {
          toolChoice = { type: 'required' }
          if (names.length > 1) fccLeft.allowedFunctionNames = names
        }
        break
      case 'VALIDATED':
        // Schema-validated AUTO: the IR says auto, the exact mode rides in extras.
        toolChoice = { type: 'auto' }
        fccLeft.mode = 'VALIDATED'
        if (names.length > 0) fccLeft.allowedFunctionNames = names
        break
      case undefined:
      case 'MODE_UNSPECIFIED':
        if (names.length > 0) fccLeft.allowedFunctionNames = names
        break
      default:
        throw invalidRequest(`toolConfig.functionCallingConfig.mode: unknown mode '${String(mode)}'`, 'toolConfig.functionCallingConfig.mode')
    }
    if (Object.keys(fccLeft).length > 0) leftovers.functionCallingConfig = fccLeft
  }
  return {
    ...(toolChoice ? { toolChoice } : {}),
    ...(Object.keys(leftovers).length > 0 ? { leftovers } : {}),
  }
}

type GenConfigFields = Pick<
  IRRequest,
  | 'maxTokens' | 'temperature' | 'topP' | 'topK' | 'stopSequences' | 'presencePenalty' | 'frequencyPenalty' | 'seed'
  | 'candidateCount' | 'responseFormat' | 'reasoning'
>

export function decodeGenerationConfig(v: unknown): {
  fields: GenConfigFields
  leftovers?: Json
  useResponseJsonSchema: boolean
} {
  const fields: GenConfigFields = {}
  if (v === undefined || v === null) return { fields, useResponseJsonSchema: false }
  if (!isRecord(v)) throw invalidRequest('generationConfig: expected an object', 'generationConfig')
  const g = 'generationConfig'
  const {
    temperature, topP, topK, maxOutputTokens, stopSequences, candidateCount, presencePenalty, frequencyPenalty, seed,
    responseMimeType, responseSchema, responseJsonSchema, thinkingConfig, ...rest
  } = v
  const left: Json = { ...rest }
  const set = <K extends keyof GenConfigFields>(k: K, val: GenConfigFields[K] | undefined) => {
    if (val !== undefined) fields[k] = val
  }
  set('temperature', optionalNumber(temperature, `${g}.temperature`))
  set('topP', optionalNumber(topP, `${g}.topP`))
  set('topK', optionalNumber(topK, `${g}.topK`))
  set('maxTokens', optionalNumber(maxOutputTokens, `${g}.maxOutputTokens`))
  set('candidateCount', optionalNumber(candidateCount, `${g}.candidateCount`))
  set('presencePenalty', optionalNumber(presencePenalty, `${g}.presencePenalty`))
  set('frequencyPenalty', optionalNumber(frequencyPenalty, `${g}.frequencyPenalty`))
  set('seed', optionalNumber(seed, `${g}.seed`))
  if (stopSequences !== undefined) {
    if (!Array.isArray(stopSequences) || !stopSequences.every((s) => typeof s === 'string')) {
      throw invalidRequest(`${g}.stopSequences: expected an array of strings`, `${g}.stopSequences`)
    }
    fields.stopSequences = stopSequences
  }

  let useResponseJsonSchema = false
  const mime = str(responseMimeType)
  if (mime === 'application/json') {
    if (isRecord(responseJsonSchema)) {
      fields.responseFormat = { type: 'json-schema', schema: normalizeJsonSchemaTypes(responseJsonSchema) as Json }
      useResponseJsonSchema = true
    } else if (isRecord(responseSchema)) {
      fields.responseFormat = { type: 'json-schema', schema: fromGeminiSchema(responseSchema) }
    } else fields.responseFormat = { type: 'json' }
  } else if (mime === 'text/plain' && responseSchema === undefined && responseJsonSchema === undefined) {
    fields.responseFormat = { type: 'text' }
  } else {
    // text/x.enum etc.: Gemini-only, kept as is.
    if (responseMimeType !== undefined) left.responseMimeType = responseMimeType
    if (responseSchema !== undefined) left.responseSchema = responseSchema
    if (responseJsonSchema !== undefined) left.responseJsonSchema = responseJsonSchema
  }

  if (thinkingConfig !== undefined) {
    if (!isRecord(thinkingConfig)) throw invalidRequest(`${g}.thinkingConfig: expected an object`, `${g}.thinkingConfig`)
    const { thinkingBudget, thinkingLevel, ...tcRest } = thinkingConfig
    const tcLeft: Json = { ...tcRest } // includeThoughts and unknown keys
    const budget = optionalNumber(thinkingBudget, `${g}.thinkingConfig.thinkingBudget`)
    const level = str(thinkingLevel)
    if (budget !== undefined || level !== undefined) {
      if (budget === 0) fields.reasoning = { enabled: false }
      else {
        fields.reasoning = { enabled: true }
        if (budget !== undefined && budget > 0) fields.reasoning.budgetTokens = budget
        if (budget === -1) tcLeft.thinkingBudget = -1 // dynamic: the IR says "enabled", no budget
      }
      if (level !== undefined) fields.reasoning.effort = level.toLowerCase()
      if (fields.reasoning.enabled && thinkingConfig.includeThoughts !== true) fields.reasoning.visible = false
    } else if (thinkingConfig.includeThoughts === true) {
      fields.reasoning = { enabled: true }
    }
    if (Object.keys(tcLeft).length > 0) left.thinkingConfig = tcLeft
  }
  return { fields, ...(Object.keys(left).length > 0 ? { leftovers: left } : {}), useResponseJsonSchema }
}
