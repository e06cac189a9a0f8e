import type { DialectName, IRUsage } from './ir'

/** One row of the request log, as the hot path produces it (written in batches elsewhere). */
export interface RequestLogEntry {
  ts: Date
  requestId: string
  clientKey: string | null
  dialect: DialectName
  upstreamDialect: DialectName | null
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
}

/** Where log entries go. `push` must never block or throw: a full queue drops and counts. */
export interface LogSink {
  push(entry: RequestLogEntry): void
}
