/** Small narrowing helpers and wire constants shared by the OpenAI Chat Completions codec. */

export const DIALECT = 'openai-chat' as const

export { compact, isRecord, num, str, type Json } from '../../json'
export { parseDataUrl } from '../../ir'

export function epochSeconds(): number {
  return Math.floor(Date.now() / 1000)
}
