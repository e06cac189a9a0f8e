import type { IncomingMessage } from 'node:http'
import { isUtf8 } from 'node:buffer'
import { GatewayError, invalidRequest } from '../errors'

/**
 * Reads the raw body once, enforcing the size limit ourselves (h3's readRawBody has none): a declared
 * content-length over the limit is refused before reading; a chunked body is counted as it arrives.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  if (declared > limit) return Promise.reject(tooLarge(limit))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) {
        req.removeAllListeners('data')
        req.resume()
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
