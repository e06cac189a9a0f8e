import type { DialectCodec } from '../../codec'
import { decodeRequest } from './decode-request'
import { decodeResponse } from './decode-response'
import { createStreamDecoder, isTerminalFrame } from './decode-stream'
import { encodeRequest } from './encode-request'
import { encodeResponse } from './encode-response'
import { createStreamEncoder } from './encode-stream'
import { decodeError, encodeError } from './errors'
import { DIALECT } from './wire'
import { decodeUsage } from './usage'

/** OpenAI Responses API (`POST /v1/responses`): Codex CLI, the openai SDKs' `responses.*`, LM Studio, vLLM. */
export const openaiResponsesCodec: DialectCodec = {
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
  decodeUsage: (body) => decodeUsage((body as { usage?: unknown } | null)?.usage) ?? null,
}
