import type { Door } from '../door'
import type { DialectName } from '../ir'
import { TRANSPORTS } from '../registry'
import type { DoorRefusal } from './door-refusal'

export type { DoorRefusal } from './door-refusal'

/** Every dialect's exact door paths in one map, built once; the patterned doors are asked in turn. */
const EXACT = new Map<string, Omit<Door, 'query'>>()
const MATCHERS: Array<NonNullable<(typeof TRANSPORTS)[DialectName]['doors']['match']>> = []
for (const t of Object.values(TRANSPORTS)) {
  for (const [path, door] of Object.entries(t.doors.exact)) EXACT.set(path, door)
  if (t.doors.match) MATCHERS.push(t.doors.match)
}

/**
 * URL → the public door it is, without allocating a URL object (this runs on every request). The
 * URLs are each dialect's (`dialects/<name>/transport.ts` `doors`): `/v1/chat/completions`,
 * `/v1/{provider}/chat/completions` (and `/completions`), `/v1/embeddings`, `/v1/responses`,
 * `/v1/messages`, `/v1/messages/count_tokens`, `/v1beta/models/{model}:{method}` and
 * `/v1/models/{model}:{method}`. Returns undefined for anything else (model lists, admin, UI: the
 * Nitro router's business), and a `DoorRefusal` for a door path that cannot be served (unknown Gemini
 * method, malformed %-encoding).
 */
export function doorFor(url: string): Door | DoorRefusal | undefined {
  const q = url.indexOf('?')
  const path = q < 0 ? url : url.slice(0, q)
  const query = q < 0 ? '' : url.slice(q + 1)
  const exact = EXACT.get(path)
  if (exact) return { ...exact, query }
  for (const match of MATCHERS) {
    const d = match(path, query)
    if (d) return d
  }
  return undefined
}
