/** Small narrowing helpers and wire constants of the OpenAI Responses codec. */
export { compact, isRecord, num, str, type Json } from '../../json'
export { parseDataUrl } from '../../ir'
export { epochSeconds } from '../openai-chat/wire'

export const DIALECT = 'openai-responses' as const

/** A fresh wire id with the given prefix (`resp`, `msg`, `rs`, `fc`). */
export function newId(prefix: string): string {
  let s = ''
  while (s.length < 24) s += Math.random().toString(36).slice(2)
  return `${prefix}_${s.slice(0, 24)}`
}
