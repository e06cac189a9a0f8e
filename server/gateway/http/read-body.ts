import type { IncomingMessage } from 'node:http'
import { isUtf8 } from 'node:buffer'
import { GatewayError, invalidRequest } from '../errors'

/**
 * How much of a refused body is still read (and thrown away) after the refusal. A client such as
 * undici's fetch writes its whole body before it reads the answer: a socket closed with bytes unread
 * makes the kernel send a reset, and the client sees EPIPE or ECONNRESET instead of our 413. Past
 * this many bytes the connection is cut, so a client cannot keep us reading forever.
 */
export const DISCARD_CAP_BYTES = 64 * 1048576

/**
 * Reads and drops the rest of a body that will not be used, up to `cap` bytes, keeping the
 * connection open (it may carry the client's next request); past `cap` the socket is destroyed.
 */
export function discardBody(req: IncomingMessage, cap = DISCARD_CAP_BYTES): void {
  req.removeAllListeners('data')
  if (req.complete) return
  let seen = 0
  req.on('data', (c: Buffer) => {
    seen += c.length
    if (seen > cap) req.socket.destroy()
  })
  req.resume()
}

/**
 * Reads the raw body once, enforcing the size limit ourselves (h3's readRawBody has none): a declared
 * content-length over the limit is refused before reading; a chunked body is counted as it arrives.
 * Either way what remains of a refused body is discarded (bounded), not left unread.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  if (declared > limit) {
    discardBody(req)
    return Promise.reject(tooLarge(limit))
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) {
        discardBody(req)
        reject(tooLarge(limit))
        return
      }
      chunks.push(c)
    })
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)))
    req.once('error', (e) => reject(new GatewayError('invalid_request', `could not read the request body: ${e.message}`)))
  })
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError('payload_too_large', `request body exceeds the limit of ${Math.round(limit / 1048576)} MB`)
}

/** Bytes → JSON object, with a 400 that names the problem (invalid UTF-8, invalid JSON, not an object). */
export function parseJsonBody(buf: Buffer): Record<string, unknown> {
  if (buf.length === 0) throw invalidRequest('the request body is empty; expected a JSON object')
  // A native check, then a plain decode: cheaper than a fatal TextDecoder on every request.
  if (!isUtf8(buf)) throw invalidRequest('the request body is not valid UTF-8')
  const text = buf.toString('utf8')
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch (e) {
    throw invalidRequest(`the request body is not valid JSON: ${(e as Error).message}`)
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidRequest('the request body must be a JSON object')
  return v as Record<string, unknown>
}
