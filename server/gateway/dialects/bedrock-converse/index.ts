/**
 * AWS Bedrock's Converse / ConverseStream API (`POST model/{modelId}/converse`, `/converse-stream`),
 * an upstream dialect only: no client speaks it to Rosetta. Its stream is binary eventstream framing
 * (eventstream.ts), not Server-Sent Events.
 * This module is the dialect's codec (an UpstreamCodec), wired the way every dialect's index.ts is.
 */
export { DIALECT as name } from './wire'
export { encodeRequest } from './encode-request'
export { decodeResponse } from './decode-response'
export { createStreamDecoder, isTerminalFrame } from './decode-stream'
export { decodeError } from './errors'
export { decodeResponseUsage as decodeUsage } from './usage'
export { createEventStreamReader as createFrameReader } from './eventstream'
