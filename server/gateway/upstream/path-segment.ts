/**
 * A client-supplied value (a model name, an id) as exactly one URL path segment that decodes to
 * exactly that value: `/`, `?`, `#`, `%`, spaces and `:` are percent-encoded (so `%2F` travels as
 * `%252F`), and the dot segments `.` and `..`, which servers and proxies resolve away, become
 * `%2E` / `%2E%2E`. Every upstream path built from client input goes through here, so no name can
 * steer a request to another path (issue 21).
 *
 * The value must be well-formed UTF-16 (the door refuses lone surrogates, see model-name.ts);
 * encodeURIComponent throws a URIError otherwise.
 */
export function pathSegment(value: string): string {
  if (value === '.' || value === '..') return value.replaceAll('.', '%2E')
  return encodeURIComponent(value)
}
