import type { DialectName, IRUsage } from './ir'
import type { LogSink } from './log-entry'
import type { GatewayError } from './errors'
import type { Identity, Snapshot } from './routing/snapshot'
import type { SignatureCache } from './signature-cache'
import type { StateStore } from './pool/state-store'
import type { EmbeddingStore } from './embeddings/operation'
import type { Ask, Spent, Ticket } from './limits/reservation'
import type { ResponseCachePort } from './response-cache/store'
import type { PluginRegistry } from './plugins/registry'

/** Which public endpoint a request came through: its dialect, and what the URL itself says. */
export interface Door {
  dialect: DialectName
  /** The raw query string (without '?'), parsed only when a key may be in it. */
  query?: string
  /** `/v1/{provider}/chat/completions` forces a provider and skips routing. */
  forcedProvider?: string
  /** Gemini puts the model and the method in the path, and `?alt=sse` picks SSE over a JSON array. */
  gemini?: { model: string; stream: boolean; sse: boolean; batch?: boolean }
  /** A call other than chat: `/v1/embeddings`, `:embedContent`, `/v1/messages/count_tokens`, `:countTokens`. */
  op?: 'embeddings' | 'count_tokens'
}

/** What the gateway needs from the rest of the server; set up once at boot. */
export interface GatewayRuntime {
  snapshot(): Snapshot
  /** Every finished request's entry goes to each sink (the log writer, metrics, the monitor). */
  log: LogSink
  /**
   * Asked before a request is read: an error refuses it (maintenance mode, shutting down). Must be
   * cheap: it runs on every request.
   */
  gate?: () => GatewayError | undefined
  signatures: SignatureCache
  /**
   * Asked after authentication and routing, before anything goes upstream: an error refuses the
   * request (client-key expiry, rate limits, budgets); a ticket holds the request's estimate (`ask`,
   * called only for keys with token or USD limits) until `settle`. Must be cheap: it runs on every request.
   */
  admit?: (who: Identity, ask: () => Ask) => GatewayError | Ticket | undefined | Promise<GatewayError | Ticket | undefined>
  /** Releases an admitted request's reservation and books what it really used; once per ticket, however the request ended. */
  settle?: (ticket: Ticket, spent: Spent) => void
  /**
   * Wrong-key throttling per client address (the security state's guard): a throttled address gets a
   * 429 for every request, right key or not, so guessing cannot go on at full speed. A Map lookup.
   */
  keyGuard?: { blockedFor(ip: string, now?: number): number; fail(ip: string, now?: number): void }
  /** Key cooldowns, concurrency and provider circuits (in memory; Redis later). */
  state: StateStore
  delivery: {
    maxAttempts: number
    deadlineMs: number
    /** NUXT_RETRY_WAIT_MAX_MS: the longest a request waits for an upstream's retry-after before refusing. */
    retryWaitMaxMs: number
    /** NUXT_STREAM_IDLE_TIMEOUT_MS: the longest silence inside an upstream stream before it is a failure. */
    streamIdleMs: number
  }
  maxBodyBytes: number
  /** The embedding cache (server/services/embedding-cache.ts); absent = no caching. */
  embeddings?: EmbeddingStore
  /** NUXT_LOG_BODIES: capture request/response bodies (by reference) for the body log. */
  logBodies?: boolean
  /** NUXT_LOG_BODY_MAX_KB in bytes: a captured stream keeps about this much of its deltas (capture-events.ts). */
  logBodyMaxBytes?: number
  /** The exact response cache (server/services/response-cache.ts); absent = none, whatever rosetta.yaml declares. */
  responseCache?: ResponseCachePort
  /** The plugins requests may name (built-ins and NUXT_PLUGINS_DIR); replaced on config reload. */
  plugins?: PluginRegistry
  /** Estimates each request's cost from an in-memory price table (never a query per request). */
  prices?: { cost(model: string | null, usage: IRUsage | null): number | null }
}
