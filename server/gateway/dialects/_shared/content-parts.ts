import type { TextPart } from '../../ir'
import { invalidRequest } from '../../errors'
import { isRecord, type Json } from '../../json'

/**
 * OpenAI message content (Chat and Responses alike): a string is one text part; an array holds typed
 * part objects, each decoded by `part` with its path (`messages[0].content[1]`) for errors.
 */
export function decodeContentParts<T>(content: unknown, path: string, part: (c: Json, at: string) => T): Array<TextPart | T> {
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  if (!Array.isArray(content)) throw invalidRequest(`${path}: expected a string or an array of content parts`, path)
  return content.map((c, j) => {
    const at = `${path}[${j}]`
    if (!isRecord(c)) throw invalidRequest(`${at}: expected an object`, at)
    return part(c, at)
  })
}
