/**
 * The production entry (`.output/server/index.mjs`), in place of Nitro's node-server entry. It
 * differs in one way: it says where it listens only once the boot plugin has finished (see
 * services/boot-gate.ts), in the structured log's JSON line format, where Nitro's entry prints a plain
 * "Listening on …" even when the boot is about to fail. It listens at once so that `/health` can answer
 * 503 with the pending boot steps (services/ops/readiness.ts) and other requests wait for the boot
 * (middleware/wait-for-boot.ts) instead of being refused at the socket. Address variables are Nitro's own:
 * PORT/NITRO_PORT, HOST/NITRO_HOST, NITRO_UNIX_SOCKET, NITRO_SSL_CERT + NITRO_SSL_KEY.
 */
import '#nitro-internal-pollyfills'
import { Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { Server as HttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { toNodeListener } from 'h3'
import { useNitroApp, useRuntimeConfig } from 'nitropack/runtime'
import { setupGracefulShutdown, trapUnhandledNodeErrors } from 'nitropack/runtime/internal/index'
import { booted } from '../services/boot-gate'
import { logger } from '../utils/logger'
import { announceReady } from '../services/ops/workers'

const cert = process.env.NITRO_SSL_CERT
const key = process.env.NITRO_SSL_KEY
const nitroApp = useNitroApp()
const handler = toNodeListener(nitroApp.h3App) as (req: IncomingMessage, res: ServerResponse) => void
const server = cert && key ? new HttpsServer({ key, cert }, handler) : new HttpServer(handler)
const rawPort = process.env.NITRO_PORT || process.env.PORT
const port = rawPort === undefined || rawPort === '' ? 3000 : Number(rawPort)
const host = process.env.NITRO_HOST || process.env.HOST || undefined
const socket = process.env.NITRO_UNIX_SOCKET

trapUnhandledNodeErrors()
// Signals during boot are handled too (lifecycle.ts's listeners would otherwise swallow them).
setupGracefulShutdown(server, nitroApp)

// A taken port surfaces as an uncaught 'listen' error, which server/plugins/lifecycle.ts reports.
const listening = new Promise<void>((resolve) => server.listen(socket ? { path: socket } : { port, host }, resolve))

void Promise.all([booted, listening]).then(([info]) => {
  // A worker (NUXT_WORKERS > 1) tells the primary its boot finished: dying after this means re-fork.
  announceReady()
  const address = server.address() as AddressInfo | string
  if (typeof address === 'string') {
    logger.info('Rosetta is ready', { socket: address, database: info.database })
    return
  }
  const proto = cert && key ? 'https' : 'http'
  const base = `${proto}://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
  // 0.0.0.0 is where it listens, not an address to type into a browser.
  const shown = address.address === '0.0.0.0' || address.address === '::' ? `${proto}://localhost:${address.port}` : base
  const prefix = (useRuntimeConfig().app.baseURL || '').replace(/\/$/, '')
  logger.info('Rosetta is ready', { listening: base + prefix, admin: `${shown}${prefix}/admin`, database: info.database })
})
