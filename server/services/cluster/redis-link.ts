import { Redis } from 'ioredis'
import { logger } from '../../utils/logger'

/** The one pub/sub channel every instance listens on: state changes, configuration, sessions, guards. */
export const CHANNEL = 'rosetta:events'

/** A message on the channel: `from` is the sender's instance id (an instance ignores its own). */
export interface ClusterMessage {
  from: string
  t: string
  [field: string]: unknown
}

export interface RedisHealth {
  configured: true
  url: string
  connected: boolean
  /** When the connection was lost (ISO), null while connected. */
  downSince: string | null
  lastError: string | null
  /** Times the connection came back after a loss (each one re-syncs shared state). */
  reconnects: number
  /** Messages not published because Redis was unreachable. */
  unpublished: number
}

/** The URL without its password, for health and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'redis://(unparseable)'
  }
}

type Handler = (m: ClusterMessage) => void

/**
 * The connection pair to Redis (one for commands, one subscribed to CHANNEL) and its up/down state.
 * Nothing on the request path waits for a reconnect: commands fail at once while Redis is away
 * (no offline queue) or after `commandTimeoutMs`, so callers fall back to local state. `onUp`
 * callbacks run on every (re)connection after the first loss, to re-sync what changed meanwhile.
 */
export class RedisLink {
  readonly cmd: Redis
  private readonly sub: Redis
  private readonly handlers = new Map<string, Handler[]>()
  private readonly upCallbacks: Array<() => Promise<void>> = []
  private readonly subscribedCallbacks: Array<() => Promise<void>> = []
  private connected = false
  private listening = false
  private everConnected = false
  private downSince: number | null = Date.now()
  private lastError: string | null = null
  private reconnects = 0
  private unpublished = 0
  private closed = false

  constructor(
    readonly url: string,
    readonly instanceId: string,
    opts: { commandTimeoutMs?: number } = {},
  ) {
    const common = {
      lazyConnect: true,
      // Quick retries, capped at 1 s: Redis back means state shared again within about a second.
      retryStrategy: (n: number) => (this.closed ? null : Math.min(100 * n, 1000)),
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
    }
    this.cmd = new Redis(url, { ...common, enableOfflineQueue: false, commandTimeout: opts.commandTimeoutMs ?? 500 })
    // autoResubscribe off: the 'ready' handler in start() subscribes on every connection.
    this.sub = new Redis(url, { ...common, enableOfflineQueue: true, autoResubscribe: false })
    this.cmd.on('ready', () => this.onReady())
    this.cmd.on('close', () => this.onClose())
    this.cmd.on('error', (e: Error) => {
      this.lastError = e.message
    })
    this.sub.on('error', () => {})
    this.sub.on('close', () => (this.listening = false))
    this.sub.on('message', (_ch: string, text: string) => this.deliver(text))
  }

  /** Connects both; resolves once connected or after `waitMs` (a boot with Redis away runs degraded). */
  async start(waitMs = 3000): Promise<void> {
    // Subscribed on every connection of the subscriber (also one that only succeeds after a boot with
    // Redis away), and before start() returns: a change published right after boot must not be missed.
    const subscribed = new Promise<void>((resolve) => {
      this.sub.on('ready', () => {
        this.sub.subscribe(CHANNEL).then(
          () => {
            this.listening = true
            resolve()
            for (const fn of this.subscribedCallbacks) void fn().catch((e: Error) => logger.warn('re-sync after subscribing failed', { error: e.message }))
          },
          (e: Error) => logger.warn('redis subscribe failed', { error: e.message }),
        )
      })
    })
    void this.sub.connect().catch(() => {})
    const ready = new Promise<void>((resolve) => {
      this.cmd.once('ready', () => resolve())
    })
    this.cmd.connect().catch((e: Error) => {
      this.lastError = e.message
    })
    let timer: NodeJS.Timeout | undefined
    await Promise.race([Promise.all([ready, subscribed]), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))])
    clearTimeout(timer)
    if (!this.connected) logger.warn('redis unreachable at boot: running on local state until it answers', { redis: redactRedisUrl(this.url), error: this.lastError })
  }

  get up(): boolean {
    return this.connected
  }

  /** Whether the subscriber is subscribed now (messages of other instances arrive). */
  get subscribed(): boolean {
    return this.listening
  }

  /** Registers a handler for messages of type `t` sent by other instances. */
  on(t: string, h: Handler): void {
    const list = this.handlers.get(t) ?? []
    list.push(h)
    this.handlers.set(t, list)
  }

  /** Runs on every connection (the first one loads what others shared; later ones re-sync what changed while Redis was away). */
  onUp(fn: () => Promise<void>): void {
    this.upCallbacks.push(fn)
  }

  /**
   * Runs each time the subscriber is subscribed again. The two connections come back independently:
   * what another instance published between our command connection's re-sync and our subscription
   * was neither read nor heard, so an idempotent re-sync here closes that gap.
   */
  onSubscribed(fn: () => Promise<void>): void {
    this.subscribedCallbacks.push(fn)
  }

  /** Fire and forget: a message lost while Redis is away is made up for by the re-sync on return. */
  publish(t: string, fields: Record<string, unknown>): void {
    if (!this.connected) {
      this.unpublished++
      return
    }
    this.cmd.publish(CHANNEL, JSON.stringify({ ...fields, from: this.instanceId, t })).catch(() => {
      this.unpublished++
    })
  }

  health(): RedisHealth {
    return {
      configured: true,
      url: redactRedisUrl(this.url),
      connected: this.connected,
      downSince: this.downSince === null ? null : new Date(this.downSince).toISOString(),
      lastError: this.connected ? null : this.lastError,
      reconnects: this.reconnects,
      unpublished: this.unpublished,
    }
  }

  close(): Promise<void> {
    this.closed = true
    this.connected = false
    this.cmd.disconnect()
    this.sub.disconnect()
    return Promise.resolve()
  }

  private onReady(): void {
    this.connected = true
    this.downSince = null
    this.lastError = null
    if (this.everConnected) {
      this.reconnects++
      logger.info('redis is back: re-syncing shared state', { redis: redactRedisUrl(this.url) })
    }
    this.everConnected = true
    for (const fn of this.upCallbacks) void fn().catch((e: Error) => logger.warn('re-sync after redis came back failed', { error: e.message }))
  }

  private onClose(): void {
    if (this.connected) logger.warn('redis connection lost: running on local state until it returns', { redis: redactRedisUrl(this.url), error: this.lastError })
    this.connected = false
    this.downSince ??= Date.now()
  }

  private deliver(text: string): void {
    let m: unknown
    try {
      m = JSON.parse(text)
    } catch {
      return
    }
    if (typeof m !== 'object' || m === null) return
    const msg = m as ClusterMessage
    if (msg.from === this.instanceId || typeof msg.t !== 'string') return
    for (const h of this.handlers.get(msg.t) ?? []) {
      try {
        h(msg)
      } catch (e) {
        logger.warn('cluster message not applied', { type: msg.t, error: (e as Error).message })
      }
    }
  }
}
