import type { DialectName, IRStreamEvent, IRUsage, UpstreamDialect } from './ir'
import type { GatewayError } from './errors'

/** One upstream call made for a request (a request may make several: other keys, fallbacks). */
export interface AttemptRecord {
  provider: string
  model: string
  keyId: number | null
  status: number
  errorKind: string | null
  latencyMs: number
}

/** One row of the request log, as the hot path produces it (written in batches elsewhere). */
export interface RequestLogEntry {
  ts: Date
  requestId: string
  clientKey: string | null
  dialect: DialectName
  upstreamDialect: UpstreamDialect | null
  model: string | null
  providerId: string | null
  upstreamModel: string | null
  route: string | null
  keyId: number | null
  stream: boolean
  status: number
  errorKind: string | null
  errorMessage: string | null
  latencyMs: number
  ttfbMs: number | null
  usage: IRUsage | null
  bytesIn: number
  bytesOut: number
  clientIp: string | null
  userAgent: string | null
  attempts?: AttemptRecord[]
  /** 'chat' | 'embeddings' | 'count_tokens'. */
  operation?: string
  /** A token count answered by the local tokenizer, not the upstream. */
  tokensEstimated?: boolean
  /** The id an error is logged under: the request id, which the client saw as x-request-id. */
  errorId?: string | null
  /** Time from sending the (last) upstream request to its response headers. */
  upstreamLatencyMs?: number | null
  /** Estimated from the in-memory price table; null when the model has no price. */
  costUsd?: number | null
  /** Answered from the embeddings cache: no key taken, no upstream call. */
  cacheHit?: boolean
  /** Claude Code's `x-claude-code-session-id` request header. */
  sessionId?: string | null
  /** The lossy steps of the conversion that answered (`code=field: sentence` per line), as in x-rosetta-warnings. */
  warnings?: string | null
  /** Upstream stream frames that did not parse and were skipped (also a warning above); for /metrics, not a column. */
  unparseableChunks?: number
  /**
   * Bodies, captured by reference only when NUXT_LOG_BODIES is on; redacted, capped and encoded by the
   * body writer after the client has its answer (never on the request's critical path).
   */
  /** The client's bytes (a Uint8Array of JSON), or a request body the gateway built (an object). */
  requestBody?: unknown
  responseBody?: ResponseCapture
}

/**
 * What the client got back, in the cheapest form the hot path has it: the text it was sent, the IR
 * events of a stream or a same-dialect stream's bytes (reassembled and encoded in the client's
 * dialect later), or the error.
 */
export type ResponseCapture =
  | { kind: 'text'; text: string }
  | { kind: 'events'; events: IRStreamEvent[]; dialect: DialectName; model: string }
  /** A same-dialect stream's bytes, decoded into events on the log encoder thread (capture-frames.ts). */
  | { kind: 'frames'; bytes: Uint8Array; dialect: DialectName; model: string }
  | { kind: 'error'; error: GatewayError; dialect: DialectName }

/** Where log entries go. `push` must never block or throw: a full queue drops and counts. */
export interface LogSink {
  push(entry: RequestLogEntry): void
}

/** Fans one entry out to several sinks; a throwing sink never affects the others or the request. */
export class LogFanout implements LogSink {
  private sinks: LogSink[] = []

  add(sink: LogSink): void {
    this.sinks.push(sink)
  }

  push(entry: RequestLogEntry): void {
    for (const s of this.sinks) {
      try {
        s.push(entry)
      } catch {
        /* a sink's failure is its own; the request is already answered */
      }
    }
  }
}
