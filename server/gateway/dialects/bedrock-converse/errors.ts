import { GatewayError, kindFromStatus, type GatewayErrorKind } from '../../errors'
import { header, retryAfterSeconds, type WireHeaders } from '../_shared/headers'
import { isRecord, str } from './wire'

/**
 * Bedrock Runtime's error types (the `x-amzn-errortype` header, the `__type` field, or an exception
 * frame's `:exception-type` in a stream) → the failure policy's kinds (pool/policy.ts). Names are
 * matched case-insensitively: stream frames spell them `throttlingException`.
 */
const KINDS: Record<string, GatewayErrorKind> = {
  validationexception: 'invalid_request',
  accessdeniedexception: 'permission',
  resourcenotfoundexception: 'not_found',
  throttlingexception: 'rate_limit',
  servicequotaexceededexception: 'quota',
  // "The model is not ready to serve inference requests" (429): the upstream, not the key; retry later.
  modelnotreadyexception: 'overloaded',
  serviceunavailableexception: 'overloaded',
  internalserverexception: 'upstream_error',
  modelerrorexception: 'upstream_error',
  modelstreamerrorexception: 'upstream_error',
  modeltimeoutexception: 'timeout',
  // The signature layer's own refusals: the credentials are wrong or expired.
  unrecognizedclientexception: 'authentication',
  invalidsignatureexception: 'authentication',
  incompletesignatureexception: 'authentication',
  expiredtokenexception: 'authentication',
  missingauthenticationtokenexception: 'authentication',
  invalidclienttokenid: 'authentication',
  signaturedoesnotmatch: 'authentication',
}

/** `ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/` → `ThrottlingException`. */
function errorTypeName(raw: string | undefined): string | undefined {
  if (!raw) return undefined
  const name = raw.split(':')[0]!.split('#').pop()!.trim()
  return name === '' ? undefined : name
}

export function kindFromErrorType(type: string | undefined): GatewayErrorKind | undefined {
  return type ? KINDS[type.toLowerCase()] : undefined
}

/** A Converse / ConverseStream HTTP error (`{"message": …}` with the type in `x-amzn-errortype`). */
export function decodeError(status: number, body: string, headers?: WireHeaders): GatewayError {
  let type = errorTypeName(header(headers, 'x-amzn-errortype'))
  let message: string | undefined
  try {
    const parsed: unknown = JSON.parse(body)
    if (isRecord(parsed)) {
      message = str(parsed.message) ?? str(parsed.Message)
      type ??= errorTypeName(str(parsed.__type))
    }
  } catch {
    // not JSON: the text is the message below
  }
  if (message === undefined) {
    const text = body.trim()
    message = text !== '' ? text.slice(0, 500) : `Bedrock upstream returned HTTP ${status}`
  }
  const kind = kindFromErrorType(type) ?? kindFromStatus(status)
  return new GatewayError(kind, type ? `${type}: ${message}` : message, { upstreamStatus: status, upstreamBody: body, retryAfter: retryAfterSeconds(headers) })
}

/** An exception frame in a ConverseStream (`:message-type: exception`, its type in `:exception-type`). */
export function decodeStreamException(type: string, payload: string): GatewayError {
  let message: string | undefined
  try {
    const parsed: unknown = JSON.parse(payload)
    if (isRecord(parsed)) message = str(parsed.message) ?? str(parsed.Message)
  } catch {
    // not JSON: the payload text is the message
  }
  message ??= payload.trim().slice(0, 500) || 'Bedrock stream error'
  return new GatewayError(kindFromErrorType(type) ?? 'upstream_error', `${type}: ${message}`, { upstreamBody: payload })
}
