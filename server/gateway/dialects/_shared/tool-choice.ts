import type { IRToolChoice } from '../../ir'
import { GatewayError, invalidRequest } from '../../errors'
import { isRecord, type Json } from '../../json'

/** Where Chat and Responses differ in `tool_choice`: how a named function is spelled and which other types exist. */
export interface ToolChoiceShape {
  /** The forced function's name: Chat `{type:'function', function:{name}}`, Responses `{type:'function', name}`. */
  functionName(v: Json): string | undefined
  /** An object type this dialect knows but the IR cannot carry (answered 400 unsupported, not invalid). */
  isKnownType(type: string): boolean
  /** The sentence of the 400 for anything else. */
  expected: string
}

/** OpenAI `tool_choice` (the modes are one vocabulary in Chat and Responses) → IR. */
export function decodeToolChoice(v: unknown, shape: ToolChoiceShape): IRToolChoice | undefined {
  if (v === undefined || v === null) return undefined
  if (v === 'auto' || v === 'none' || v === 'required') return { type: v }
  if (isRecord(v) && v.type === 'function') {
    const name = shape.functionName(v)
    if (name) return { type: 'tool', name }
  }
  if (isRecord(v) && typeof v.type === 'string' && shape.isKnownType(v.type)) {
    throw new GatewayError('unsupported', `tool_choice.type: '${v.type}' is not supported`, { param: 'tool_choice' })
  }
  throw invalidRequest(`tool_choice: expected ${shape.expected}`, 'tool_choice')
}
