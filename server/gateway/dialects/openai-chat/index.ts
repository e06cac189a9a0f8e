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

/** OpenAI Chat Completions (and OpenAI-compatible servers: DeepSeek, xAI, Groq, vLLM, Ollama, OpenRouter). */
export const openaiChatCodec: DialectCodec = {
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
