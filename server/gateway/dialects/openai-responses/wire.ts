import type { DialectName } from '../../ir'

/** Small narrowing helpers and wire constants shared by the OpenAI Responses codec. */
export { compact, epochSeconds, isRecord, num, parseDataUrl, str, type Json } from '../openai-chat/wire'

/** Not yet in the DialectName union when this codec was written; the cast keeps it compiling either way. */
export const DIALECT = 'openai-responses' as DialectName

/** A fresh wire id with the given prefix (`resp`, `msg`, `rs`, `fc`). */
export function newId(prefix: string): string {
  let s = ''
  while (s.length < 24) s += Math.random().toString(36).slice(2)
  return `${prefix}_${s.slice(0, 24)}`
}
