import type { DialectName } from '../ir'
import { TRANSPORTS } from '../registry'

const SPEAKERS = (Object.entries(TRANSPORTS) as Array<[DialectName, (typeof TRANSPORTS)[DialectName]]>).filter(([, t]) => t.doors.speaksAt)

/**
 * The dialect an error on a public-API path is written in, from the path alone (before any door is
 * known): the dialect whose transport claims the URL (`doors.speaksAt`), else OpenAI's.
 */
export function dialectOfPath(url: string): DialectName {
  for (const [name, t] of SPEAKERS) if (t.doors.speaksAt!(url)) return name
  return 'openai-chat'
}
