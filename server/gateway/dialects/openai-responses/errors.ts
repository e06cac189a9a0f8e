import type { EncodedError } from '../../codec'
import type { GatewayError } from '../../errors'
import { decodeError as decodeChatError, encodeError as encodeChatError, streamError } from '../openai-chat/errors'
import { isRecord, type Json } from './wire'

/**
 * The Responses API answers errors with the Chat Completions body (`{error:{message,type,param,code}}`),
 * so HTTP errors reuse the openai-chat functions. In a stream, an `error` event carries the error
 * (`{type:'error', error:{...}}` on the wire, flat `code/message/param` in the SDK types) and a
 * `response.failed` event carries `response.error {code, message}`.
 */
export const decodeError = decodeChatError

export function encodeError(err: GatewayError): EncodedError {
  return encodeChatError(err)
}

/** An `error` event payload (nested or flat) → GatewayError. */
export function errorEventError(payload: Json): GatewayError {
  if (isRecord(payload.error)) return streamError(payload)
  const { type: _, sequence_number: __, ...flat } = payload
  return streamError({ error: flat })
}

/** `response.failed` → GatewayError from `response.error`. */
export function failedResponseError(response: Json): GatewayError {
  const e = isRecord(response.error) ? response.error : { message: 'upstream response failed' }
  return streamError({ error: e })
}

/** The wire error object for a stream: what `error` events and `response.failed` carry. */
export function wireStreamError(err: GatewayError): { type: string; code: string | null; message: string; param: string | null } {
  const e = encodeChatError(err).body.error as { type: string; code: string | null; message: string; param: string | null }
  // Codex reads a retry delay out of the message ("try again in 12s") for rate limits.
  const message = err.retryAfter !== undefined && err.kind === 'rate_limit' ? `${e.message} Please try again in ${err.retryAfter}s.` : e.message
  return { type: e.type, code: e.code, message, param: e.param }
}
