/**
 * OpenAI Responses API (`POST /v1/responses`): Codex CLI, the openai SDKs' `responses.*`, LM Studio, vLLM.
 * This module is the dialect's codec: each role's function re-exported from its role file under the
 * role's name; registry.ts imports the namespace and types it as a DialectCodec, so a missing role
 * fails the typecheck.
 */
export { DIALECT as name } from './wire'
export { decodeRequest } from './decode-request'
export { encodeRequest } from './encode-request'
export { decodeResponse } from './decode-response'
export { encodeResponse } from './encode-response'
export { createStreamDecoder, isTallyFrame, isTerminalFrame } from './decode-stream'
export { createStreamEncoder } from './encode-stream'
export { decodeError, encodeError } from './errors'
export { decodeResponseUsage as decodeUsage } from './usage'
