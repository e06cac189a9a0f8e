import cluster from 'node:cluster'
import { appState } from '../services/app-state'
import { logger } from '../utils/logger'
import { installShutdown } from '../services/ops/graceful-shutdown'

/**
 * Idle kept-alive connections stay open this long after SIGTERM (bounded by NITRO_SHUTDOWN_TIMEOUT):
 * a request already on its way on one gets a 503 with `connection: close` rather than a reset.
 */
const SHUTDOWN_GRACE_MS = 1000

/**
 * Process lifecycle: listen failures, graceful shutdown on SIGTERM/SIGINT (refuse new work, drain
 * in-flight requests up to NITRO_SHUTDOWN_TIMEOUT, then the `close` hook: log flush, DuckDB close).
 */
export default defineNitroPlugin((nitroApp) => {
  // Nitro traps uncaught exceptions and keeps running, so a taken port would leave a process that
  // serves nothing. Turn listen failures into a clear message and a non-zero exit.
  process.on('uncaughtException', (e: NodeJS.ErrnoException) => {
    if (e.syscall !== 'listen') return
    const where = process.env.NITRO_UNIX_SOCKET || `${process.env.NITRO_HOST || process.env.HOST || '0.0.0.0'}:${process.env.NITRO_PORT || process.env.PORT || '3000'}`
    const why =
      e.code === 'EADDRINUSE'
        ? `${where} is already in use (another Rosetta or another program is listening there): stop it or set PORT to a free port`
        : e.code === 'EACCES'
          ? `no permission to listen on ${where} (ports below 1024 need privileges): set PORT to a higher port`
          : `cannot listen on ${where}: ${e.message}`
    logger.error(`Rosetta could not start: ${why}`, { code: e.code, address: where })
    process.exit(1)
  })

  // Graceful shutdown is ours, not Nitro's (see services/ops/graceful-shutdown.ts for why): Nitro's
  // would reset idle keep-alive connections. Plugins run before Nitro's node server reads
  // NITRO_SHUTDOWN_DISABLED, so setting it here hands the signals to us. An operator who set it
  // themselves gets no graceful shutdown at all, as Nitro documents.
  if (!import.meta.dev && !process.env.NITRO_SHUTDOWN_DISABLED) {
    process.env.NITRO_SHUTDOWN_DISABLED = '1'
    const timeoutMs = Number.parseInt(process.env.NITRO_SHUTDOWN_TIMEOUT || '', 10) || 30_000
    const shutdown = installShutdown({
      timeoutMs,
      graceMs: Math.min(SHUTDOWN_GRACE_MS, timeoutMs),
      refuseNewWork: () => appState()?.ops.mode.beginShutdown(),
      close: () => nitroApp.hooks.callHook('close'),
      exit: (code) => process.exit(code),
      log: (msg, fields) => logger.info(msg, fields),
    })
    const signals = (process.env.NITRO_SHUTDOWN_SIGNALS || 'SIGTERM SIGINT').split(' ').filter(Boolean)
    // A worker (NUXT_WORKERS > 1) can get a signal twice (Ctrl-C reaches the whole process group and
    // the primary passes it on): keep listening so the second is ignored instead of killing it.
    const listen = cluster.isWorker ? process.on.bind(process) : process.once.bind(process)
    for (const sig of signals) listen(sig as NodeJS.Signals, () => void shutdown.run(sig))
  }

  // The single place unexpected errors from Nitro routes are logged, each with an id; the client
  // gets Nitro's production error body (status and message, no stack).
  nitroApp.hooks.hook('error', (error, ctx) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500
    if (status < 500) return
    const errorId = `err_${crypto.randomUUID().replaceAll('-', '')}`
    const res = ctx.event?.node.res
    if (res && !res.headersSent) res.setHeader('x-error-id', errorId)
    logger.error('unhandled route error', { errorId, path: ctx.event?.path, error })
  })
  nitroApp.hooks.hook('close', () => logger.info('shutdown complete: log flushed, database closed'))
})
