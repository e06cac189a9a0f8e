import type { DialectName } from '../ir'

/** The dialect an error on a public-API path is written in, from the path alone (before any door is known). */
export function dialectOfPath(url: string): DialectName {
  if (url.startsWith('/v1beta/') || /^\/v1\/models\/[^/?]+:/.test(url)) return 'gemini'
  if (url.startsWith('/v1/messages')) return 'anthropic'
  return 'openai-chat'
}
