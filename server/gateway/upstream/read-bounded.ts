import { StringDecoder } from 'node:string_decoder'
import type { Dispatcher } from 'undici'
import { GatewayError } from '../errors'
import { MAX_ERROR_BODY_BYTES, maxResponseBytes } from './response-limit'

type UpstreamResponse = Pick<Dispatcher.ResponseData, 'headers' | 'body'>

/**
 * A non-streamed upstream answer as text, never more than `limit` bytes of it in memory: a declared
 * content-length over the limit is refused before a byte is read, a longer body as soon as it
 * passes the limit. Either way the body is destroyed, which drops the upstream connection instead
 * of reading the rest. The refusal is a 502 (`upstream_error`) the client gets in its own dialect.
 *
 * Chunks are decoded into the string as they arrive and not kept, so their buffers are free to be
 * reused at once (an array of a thousand 64 KB chunks would pin that much native memory until a
 * full GC; see issue 21: a 600 MB answer used to leave 0.6–1.2 GB of RSS behind).
 */
export async function readBounded(res: UpstreamResponse, provider: string, limit = maxResponseBytes()): Promise<string> {
  const declared = Number(res.headers['content-length'])
  if (declared > limit) {
    res.body.destroy()
    throw tooLarge(provider, limit)
  }
  const decoder = new StringDecoder('utf8')
  let text = ''
  let size = 0
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) {
      text = ''
      res.body.destroy()
      throw tooLarge(provider, limit)
    }
    text += decoder.write(chunk)
  }
  return text + decoder.end()
}

/**
 * An upstream error body, for its message: at most MAX_ERROR_BODY_BYTES (the rest is not read; the
 * connection is dropped), '' when the body cannot be read at all.
 */
export async function readErrorText(res: UpstreamResponse, limit = MAX_ERROR_BODY_BYTES): Promise<string> {
  const decoder = new StringDecoder('utf8')
  let text = ''
  let size = 0
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      const room = limit - size
      size += chunk.length
      if (chunk.length >= room) {
        text += decoder.write(chunk.subarray(0, room))
        res.body.destroy()
        break
      }
      text += decoder.write(chunk)
    }
  } catch {
    /* a broken-off error body: keep what arrived */
  }
  return text + decoder.end()
}

function tooLarge(provider: string, limit: number): GatewayError {
  const mb = Math.round((limit / 1048576) * 10) / 10
  return new GatewayError('upstream_error', `upstream '${provider}' sent an answer larger than ${mb} MB (NUXT_MAX_RESPONSE_MB); it was not read`, {
    provider,
    status: 502,
  })
}
