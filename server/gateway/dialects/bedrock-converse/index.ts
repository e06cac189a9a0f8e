import type { UpstreamCodec } from '../../codec'
import { mergeUsage } from '../../ir'
import { encodeRequest } from './encode-request'
import { decodeResponse } from './decode-response'
import { createStreamDecoder, isTerminalFrame } from './decode-stream'
import { createEventStreamReader } from './eventstream'
import { decodeError } from './errors'
import { decodeUsage } from './usage'
import { DIALECT, isRecord } from './wire'

/**
 * AWS Bedrock's Converse / ConverseStream API (`POST model/{modelId}/converse`, `/converse-stream`),
 * an upstream dialect only: no client speaks it to Rosetta. Its stream is binary eventstream framing
 * (eventstream.ts), not Server-Sent Events.
 */
export const bedrockConverseCodec: UpstreamCodec = {
  name: DIALECT,
  encodeRequest,
  decodeResponse,
  createStreamDecoder,
  isTerminalFrame,
  decodeError,
  decodeUsage: (body) => {
    const u = isRecord(body) ? body.usage : undefined
    return u ? mergeUsage(undefined, decodeUsage(u)) : null
  },
  createFrameReader: createEventStreamReader,
}
