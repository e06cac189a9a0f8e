import type { DialectName } from './ir'
import type { LogSink } from './log-entry'
import type { Snapshot } from './routing/snapshot'
import type { SignatureCache } from './signature-cache'

/** Which public endpoint a request came through: its dialect, and what the URL itself says. */
export interface Door {
  dialect: DialectName
  /** `/v1/{provider}/chat/completions` forces a provider and skips routing. */
  forcedProvider?: string
  /** Gemini puts the model and the method in the path, and `?alt=sse` picks SSE over a JSON array. */
  gemini?: { model: string; stream: boolean; sse: boolean }
}

/** What the gateway needs from the rest of the server; set up once at boot. */
export interface GatewayRuntime {
  snapshot(): Snapshot
  log: LogSink
  signatures: SignatureCache
  maxBodyBytes: number
}
