import type { DialectCodec } from '../../codec'
import { decodeRequest } from './decode-request'
import { encodeRequest } from './encode-request'
import { decodeResponse } from './decode-response'
import { encodeResponse } from './encode-response'
import { createStreamDecoder, isTerminalFrame } from './decode-stream'
import { createStreamEncoder } from './encode-stream'
import { decodeError, encodeError } from './errors'
import { decodeUsage } from './usage'
import { mergeUsage } from '../../ir'
import { DIALECT } from './wire'

/** Anthropic Messages API (`POST /v1/messages`). */
export const anthropicCodec: DialectCodec = {
  name: DIALECT,
  decodeRequest,
  encodeRequest,
  decodeResponse,
  encodeResponse,
  createStreamDecoder,
  isTerminalFrame,
  createStreamEncoder,
  decodeError,
  encodeError,
  decodeUsage: (body) => {
    const u = (body as { usage?: unknown } | null)?.usage
    return u ? mergeUsage(undefined, decodeUsage(u)) : null
  },
}
