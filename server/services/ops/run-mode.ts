import { GatewayError } from '../../gateway/errors'
import { logger, overrideLogLevel } from '../../utils/logger'

export type RunModeName = 'normal' | 'debug' | 'maintenance'

export interface RunModeState {
  mode: RunModeName
  since: string
  /** When debug mode ends by itself (ISO), else null. */
  until: string | null
  /** Seconds a client is told to wait in maintenance. */
  retryAfter: number
  message: string | null
  /** True once SIGTERM/SIGINT arrived: new /v1 requests are refused while in-flight ones finish. */
  shuttingDown: boolean
}

export const DEFAULT_DEBUG_MINUTES = 15
const MAX_DEBUG_MINUTES = 24 * 60

/**
 * normal | debug | maintenance, switched at runtime. `gate()` is the GatewayRuntime hook: it runs on
 * every /v1 request, so it only reads a field. Debug mode must never stay on by accident (it is
 * verbose), hence the timer that puts it back to normal.
 */
export class RunMode {
  private state: RunModeState = { mode: 'normal', since: new Date().toISOString(), until: null, retryAfter: 60, message: null, shuttingDown: false }
  private refusal: GatewayError | undefined
  private timer: NodeJS.Timeout | undefined

  get(): RunModeState {
    return { ...this.state }
  }

  get debug(): boolean {
    return this.state.mode === 'debug'
  }

  set(mode: RunModeName, opts: { minutes?: number; retryAfter?: number; message?: string } = {}): RunModeState {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    const now = new Date()
    let until: string | null = null
    if (mode === 'debug') {
      const minutes = Math.min(Math.max(opts.minutes ?? DEFAULT_DEBUG_MINUTES, 0.01), MAX_DEBUG_MINUTES)
      const ms = Math.round(minutes * 60_000)
      until = new Date(now.getTime() + ms).toISOString()
      this.timer = setTimeout(() => {
        logger.info('debug mode expired, back to normal')
        this.set('normal')
      }, ms)
      this.timer.unref()
    }
    overrideLogLevel(mode === 'debug' ? 'debug' : undefined)
    const prev = this.state.mode
    this.state = {
      ...this.state,
      mode,
      since: now.toISOString(),
      until,
      retryAfter: mode === 'maintenance' ? (opts.retryAfter ?? 60) : this.state.retryAfter,
      message: mode === 'maintenance' ? (opts.message ?? null) : null,
    }
    this.updateRefusal()
    logger.info('run mode changed', { from: prev, to: mode, until })
    return this.get()
  }

  /** Called on SIGTERM/SIGINT: keep-alive connections must not start new work while we drain. */
  beginShutdown(): void {
    this.state.shuttingDown = true
    this.updateRefusal()
  }

  readonly gate = (): GatewayError | undefined => this.refusal

  private updateRefusal(): void {
    const s = this.state
    if (s.shuttingDown) this.refusal = new GatewayError('unavailable', 'Rosetta is shutting down; retry shortly', { retryAfter: 5 })
    else if (s.mode === 'maintenance')
      this.refusal = new GatewayError('unavailable', `Rosetta is in maintenance mode${s.message ? `: ${s.message}` : ''}; retry later`, {
        retryAfter: s.retryAfter,
      })
    else this.refusal = undefined
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }
}
