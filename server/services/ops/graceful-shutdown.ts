import type { Server, ServerResponse } from 'node:http'
import { Server as NetServer } from 'node:net'

export interface ShutdownOptions {
  /** NITRO_SHUTDOWN_TIMEOUT: the most the drain may take before open connections are cut. */
  timeoutMs: number
  /**
   * Idle kept-alive connections stay open at least this long after the signal, so a request a
   * client is already sending on one is answered (503, connection: close) instead of reset.
   */
  graceMs: number
  /** Makes new /v1 work a 503 in the caller's dialect (RunMode.beginShutdown). */
  refuseNewWork: () => void
  /** Nitro's `close` hook: flush the request log, close DuckDB, close upstream pools. */
  close: () => Promise<void>
  exit: (code: number) => void
  log: (msg: string, fields?: Record<string, unknown>) => void
}

const TICK_MS = 50

/**
 * SIGTERM/SIGINT without resets (issue 21). Nitro's own shutdown calls http.Server#close(), which
 * destroys every idle keep-alive connection at once: a client that was just sending its next
 * request on one gets ECONNRESET, and no request ever sees the documented 503. Instead:
 *
 * 1. new /v1 work is refused with a 503 in the caller's dialect, and every response carries
 *    `connection: close` (see `draining`, read by the fast-path plugin), so each kept-alive
 *    connection is closed by us right after answering, at a moment its client expects;
 * 2. the listening socket stops accepting (net.Server#close, which unlike http.Server#close leaves
 *    open connections alone);
 * 3. after `graceMs`, idle connections are closed; requests in flight finish (a stream runs to its
 *    end) up to `timeoutMs`; once none is left, every remaining connection is closed;
 * 4. the close hook runs (log flushed, DuckDB closed) and the process exits 0.
 */
export class GracefulShutdown {
  private server: Server | undefined
  /** True from the signal on: every response says `connection: close`. */
  draining = false
  /** Requests whose response has not closed yet (counted by `track`, called for every request). */
  private inFlight = 0

  constructor(private readonly o: ShutdownOptions) {}

  /** The HTTP server, learnt from the first request's socket (Nitro does not hand it to plugins). */
  see(server: Server | undefined): void {
    this.server ??= server
  }

  /**
   * Counts a request until its response closes. The drain ends on this count rather than on Node's
   * own idea of an idle connection (its parser's state), which a connection can fail to reach.
   */
  track(res: ServerResponse): void {
    this.inFlight++
    res.once('close', () => this.inFlight--)
  }

  async run(signal: string): Promise<void> {
    if (this.draining) return
    this.draining = true
    const t0 = Date.now()
    this.o.refuseNewWork()
    this.o.log('shutdown requested: refusing new work, finishing in-flight requests', { signal, timeoutMs: this.o.timeoutMs })
    const server = this.server
    if (server) {
      NetServer.prototype.close.call(server)
      for (;;) {
        const elapsed = Date.now() - t0
        if (elapsed >= this.o.timeoutMs) {
          this.o.log('shutdown timeout: closing the connections still open', { open: await connections(server) })
          server.closeAllConnections()
          break
        }
        if (elapsed >= this.o.graceMs) {
          // Nothing in flight: what is left are idle kept-alive connections nobody used during the
          // grace period; close them all and go.
          if (this.inFlight === 0) {
            server.closeAllConnections()
            break
          }
          server.closeIdleConnections()
        }
        // No connection left (and none can come): nobody is waiting for anything.
        if ((await connections(server)) === 0) break
        await new Promise((r) => setTimeout(r, TICK_MS))
      }
    }
    try {
      // Bounded like Nitro bounds it: a hung close must not keep a stopped server alive.
      await Promise.race([this.o.close(), new Promise((r) => setTimeout(r, this.o.timeoutMs).unref())])
    } catch (e) {
      this.o.log('shutdown: the close hook failed', { error: (e as Error).message })
    }
    this.o.exit(0)
  }
}

function connections(server: Server): Promise<number> {
  return new Promise((resolve) => server.getConnections((err, n) => resolve(err ? 0 : n)))
}

/** The process's one graceful shutdown, once the lifecycle plugin installed it. */
let installed: GracefulShutdown | undefined

export function installShutdown(o: ShutdownOptions): GracefulShutdown {
  installed = new GracefulShutdown(o)
  return installed
}

/** Read on every request by the fast-path plugin: a field read, nothing more. */
export function shutdownState(): GracefulShutdown | undefined {
  return installed
}
