import type { DialectName, IRRequest, IRResponse, IRStreamEvent, IRUsage, UpstreamDialect } from './ir'
import type { GatewayError } from './errors'
import type { ChatQuirks } from '../../shared/presets/types'

/**
 * One stream message, as a frame reader split it from the bytes (codecs never see raw bytes): a
 * Server-Sent Event (`sse.ts`), or an event of another framing in the same shape (Bedrock's binary
 * eventstream: the `:event-type` header as `event`, the payload as `data`).
 */
export interface SSEMessage {
  event?: string
  data: string
}

/** Bytes → stream messages, events split across chunks or several in one handled. */
export interface FrameReader {
  feed(chunk: Uint8Array | string): void
  /** The bytes ended: emit what is complete; a partial message left over is an error. */
  end(): void
}

/** What the route knows beyond the body (Gemini puts model and streaming in the path). */
export interface DecodeRequestContext {
  model?: string
  stream?: boolean
}

/** What the encoder needs to know about the upstream it encodes for (beyond the dialect). */
export interface EncodeRequestOptions {
  /** Chat Completions only: where the output-token limit goes (see upstream/max-tokens-field.ts). */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens'
  /** Chat Completions only: the upstream's quirk switches (its preset's, with the provider's overrides). */
  quirks?: ChatQuirks
}

export interface EncodedRequest {
  /**
   * The path at the dialect's own vendor, e.g. `chat/completions`, `models/x:streamGenerateContent?alt=sse`
   * (what the codec tests and the matrix check). The gateway does not send to it: a call's URL is the
   * provider type's transport's (`ProviderTransport.path`, docs/architecture.md "Transport facts").
   */
  path: string
  body: Record<string, unknown>
  /** Headers this request needs beyond auth (e.g. an `anthropic-beta` flag for a feature used). */
  headers?: Record<string, string>
}

export interface StreamDecoder {
  /** Feed one SSE message; returns the IR events it completes. */
  push(msg: SSEMessage): IRStreamEvent[]
  /** The upstream ended: close open blocks, emit `finish` if none came. */
  end(): IRStreamEvent[]
  /** Frames skipped so far because their data was not a JSON object (surfaced by the relay, never silent). */
  unparseable(): number
}

export interface StreamEncoderOptions {
  /** Gemini only: `?alt=sse` (true) or a streamed JSON array (false). */
  sse?: boolean
  /** OpenAI: `stream_options.include_usage` as the client asked it. */
  includeUsage?: boolean
  /** The model name the client asked for, echoed back in chunks. */
  model: string
}

export interface StreamEncoder {
  /**
   * Returns the wire text to write for this event ('' when nothing is due yet). An `error` event is
   * written in-band in this dialect's stream format, after which the encoder writes nothing more.
   */
  push(ev: IRStreamEvent): string
  /** Wire text to finish the stream (OpenAI `[DONE]`, Gemini's closing `]`); '' after an error. */
  end(): string
}

export interface EncodedError {
  status: number
  body: Record<string, unknown>
}

/**
 * What the gateway needs of a dialect it sends requests to: encode the request, read the answer,
 * whole or streamed, and the upstream's errors. Pure functions; no module-level mutable state; the
 * stream decoder is a factory so every request gets fresh closure state.
 */
export interface UpstreamCodec {
  name: UpstreamDialect
  encodeRequest(req: IRRequest, opts?: EncodeRequestOptions): EncodedRequest
  decodeResponse(body: unknown): IRResponse
  createStreamDecoder(): StreamDecoder
  /**
   * Did the upstream send its own terminal event in this frame? Decoders close every stream cleanly
   * at end() (a `finish` is synthesized when none came), so only the raw frames tell a complete
   * stream from a truncated one. The relay asks on each frame only until the first match.
   */
  isTerminalFrame(msg: SSEMessage): boolean
  /**
   * Could this frame carry what a same-dialect relay tallies — usage, the finish, an error? Once the
   * first event is out, such a relay decodes only these frames (and any frame that does not look like
   * a whole JSON object, so a broken one is still counted); the rest go to the client unread. Absent
   * (Gemini: every chunk restates the usage), every frame is decoded.
   */
  isTallyFrame?(msg: SSEMessage): boolean
  /** An upstream error response (status, body text, headers) to a typed error. */
  decodeError(status: number, body: string, headers?: Record<string, string | string[] | undefined>): GatewayError
  /** Just the usage of a complete response body (the same-dialect path needs nothing more). */
  decodeUsage(body: unknown): IRUsage | null
  /** How its stream's bytes split into messages when they are not Server-Sent Events (Bedrock's eventstream). */
  createFrameReader?(onMessage: (msg: SSEMessage) => void): FrameReader
}

/**
 * A dialect clients speak too: the upstream half plus the client half (read the client's request,
 * write the answer, the stream and errors in its shape). Eight pure functions.
 */
export interface DialectCodec extends UpstreamCodec {
  name: DialectName
  decodeRequest(body: unknown, ctx?: DecodeRequestContext): IRRequest
  /** `model` is the name the client asked for. */
  encodeResponse(res: IRResponse, model: string): Record<string, unknown>
  createStreamEncoder(opts: StreamEncoderOptions): StreamEncoder
  encodeError(err: GatewayError): EncodedError
}
