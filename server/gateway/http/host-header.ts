/** The plain forms: a name or IPv4 address with an optional port (what nearly every request sends). */
const PLAIN_HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$/

/**
 * Whether a Host header can be part of a URL. h3 builds `new URL(path, 'http://' + host)` for tRPC
 * and for its own error page, so a host like `[::1` would throw there: a 500 with a stack trace on
 * stderr, from the error handler itself. Checked before any route runs. The regex answers the usual
 * case without allocating; anything else (IPv6 literals, IDN names) is judged by the URL parser.
 */
export function isValidHostHeader(host: string | undefined): boolean {
  if (host === undefined || PLAIN_HOST.test(host)) return true
  // A URL parser would read these as the start of a path, query, fragment or credentials.
  if (/[/?#@\\\s]/.test(host)) return false
  try {
    return new URL(`http://${host}/`).host !== ''
  } catch {
    return false
  }
}
