import { appState } from '../services/app-state'

/** Liveness: cheap, no auth. */
export default defineEventHandler(() => {
  const s = appState()
  return { status: s ? 'ok' : 'starting', uptime_s: s ? Math.round((Date.now() - s.startedAt.getTime()) / 1000) : 0 }
})
