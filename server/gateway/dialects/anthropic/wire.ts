/** Small narrowing helpers and shared wire mappings for the Anthropic Messages dialect. */
import { isRecord, type Json } from '../../json'

export { isRecord, num, str, type Json } from '../../json'

export const DIALECT = 'anthropic' as const

/** Anthropic message ids start with `msg_`; foreign ids are prefixed and stripped of odd characters. */
export function messageId(id: string): string {
  if (id.startsWith('msg_')) return id
  return `msg_${id.replace(/[^A-Za-z0-9_]/g, '')}`
}

/** Anthropic tool ids must match ^[a-zA-Z0-9_-]+$; other vendors' ids are made to fit. */
export function toolId(id: string): string {
  const clean = id.replace(/[^A-Za-z0-9_-]/g, '_')
  return clean === '' ? 'toolu_' : clean
}

/** Arguments JSON text → the `input` object Anthropic wants; undefined when it is not a JSON object. */
export function parseArguments(args: string): Json | undefined {
  if (args.trim() === '') return {}
  try {
    const v: unknown = JSON.parse(args)
    return isRecord(v) ? v : undefined
  } catch {
    return undefined
  }
}
