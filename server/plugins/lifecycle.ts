import { appState } from '../services/app-state'
import { logger } from '../utils/logger'

/**
 * Process lifecycle around Nitro's own graceful shutdown (which stops accepting, waits for open
 * responses up to NITRO_SHUTDOWN_TIMEOUT, then runs the `close` hook: log flush, DuckDB close).
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

  // Keep-alive connections can carry new requests while Nitro drains: refuse new /v1 work with a
  // 503 (in the client's dialect) so the drain only waits for requests already running.
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      logger.info('shutdown requested: finishing in-flight requests', { signal: sig })
      appState()?.ops.mode.beginShutdown()
    })
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
