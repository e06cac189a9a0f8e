/**
 * `decodeURIComponent` for text a client sent (URL paths, cookies, `$ref`s in tool schemas, data
 * URLs): undefined instead of a URIError for malformed percent-encoding (`%E0%A4%A`, a lone `%`),
 * so the caller answers a 400 in its own dialect rather than letting the throw become a 500.
 */
export function percentDecode(text: string): string | undefined {
  if (!text.includes('%')) return text
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}
