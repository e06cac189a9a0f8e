import { appState, whenReady } from '../services/app-state'

/**
 * The server listens while boot is still opening the database and loading keys. A request that
 * arrives then (an admin call, the UI, a model list) waits for boot instead of being judged against
 * a half-loaded state (an admin key "refused" only because it was not loaded yet). /health and
 * /health/live answer at once: they are how a caller learns that boot is done.
 * A boot that fails ends the process, so the wait is never endless.
 */
export default defineEventHandler((event) => {
  if (appState()) return // after boot: not even a promise
  const path = event.path
  if (path === '/health' || path.startsWith('/health?') || path.startsWith('/health/live')) return
  return whenReady().then(() => undefined)
})
