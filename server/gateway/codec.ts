import type { DialectName, IRRequest, IRResponse, IRStreamEvent, IRUsage } from './ir'
import type { GatewayError } from './errors'
import type { ChatQuirks } from '../../shared/presets/types'

/** One Server-Sent Event, as parsed by `sse.ts` (codecs never see raw bytes). */
export interface SSEMessage {
  event?: string
  data: string
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
  /** Path relative to the provider's base_url, e.g. `chat/completions`, `models/x:streamGenerateContent?alt=sse`. */
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
 * A dialect: eight pure functions. No module-level mutable state; stream coders are factories so every
 * request gets fresh closure state.
 */
export interface DialectCodec {
  name: DialectName
  decodeRequest(body: unknown, ctx?: DecodeRequestContext): IRRequest
  encodeRequest(req: IRRequest, opts?: EncodeRequestOptions): EncodedRequest
  decodeResponse(body: unknown): IRResponse
  /** `model` is the name the client asked for. */
  encodeResponse(res: IRResponse, model: string): Record<string, unknown>
  createStreamDecoder(): StreamDecoder
  /**
   * Did the upstream send its own terminal event in this frame? Decoders close every stream cleanly
   * at end() (a `finish` is synthesized when none came), so only the raw frames tell a complete
   * stream from a truncated one. The relay asks on each frame only until the first match.
   */
  isTerminalFrame(msg: SSEMessage): boolean
  createStreamEncoder(opts: StreamEncoderOptions): StreamEncoder
  /** An upstream error response (status, body text, headers) to a typed error. */
  decodeError(status: number, body: string, headers?: Record<string, string | string[] | undefined>): GatewayError
  encodeError(err: GatewayError): EncodedError
  /** Just the usage of a complete response body (the same-dialect path needs nothing more). */
  decodeUsage(body: unknown): IRUsage | null
}
