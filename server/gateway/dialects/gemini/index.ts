import type { DialectCodec } from '../../codec'
import { decodeRequest } from './decode-request'
import { decodeResponse } from './decode-response'
import { createStreamDecoder, isTerminalFrame } from './decode-stream'
import { encodeRequest } from './encode-request'
import { encodeResponse } from './encode-response'
import { createStreamEncoder } from './encode-stream'
import { decodeError, encodeError } from './errors'
import { decodeUsage } from './usage'
import { DIALECT } from './wire'

/** Google Gemini generateContent / streamGenerateContent (v1beta). */
export const geminiCodec: DialectCodec = {
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
  decodeUsage: (body) => decodeUsage((body as { usageMetadata?: unknown } | null)?.usageMetadata) ?? null,
}

export { SYNTHETIC_CALL_ID_PREFIX, DUMMY_THOUGHT_SIGNATURE } from './wire'
export { toGeminiSchema, fromGeminiSchema, normalizeJsonSchemaTypes } from './schema'
