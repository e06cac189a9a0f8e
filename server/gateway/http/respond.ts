import type { ServerResponse } from 'node:http'
import type { DialectName } from '../ir'
import { CODECS } from '../registry'
import { GatewayError } from '../errors'

/** `body` is serialised unless it is already a JSON string. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/** Any failure, in the caller's own dialect, with retry-after when the upstream gave one. */
export function sendError(res: ServerResponse, dialect: DialectName, err: unknown): GatewayError {
  const ge = GatewayError.is(err) ? err : new GatewayError('internal', 'internal error', { cause: err })
  if (res.headersSent) {
    res.end()
    return ge
  }
  const { status, body } = CODECS[dialect].encodeError(ge)
  const headers: Record<string, string> = {}
  if (ge.retryAfter !== undefined) headers['retry-after'] = String(Math.ceil(ge.retryAfter))
  sendJson(res, status, body, headers)
  return ge
}
