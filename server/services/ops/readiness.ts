import { appState } from '../app-state'
import { pendingBootSteps, type BootStep } from '../boot-progress'

export type Readiness =
  | { status: 'ok'; uptime_s: number }
  | { status: 'starting'; pending: BootStep[] }
  | { status: 'stopping'; message: string }

/**
 * Ready means a request would be served right now: the app state is published only after every
 * boot step (configuration applied, admin key and client keys loaded, log writers open, sessions
 * and limits loaded), and a draining server is no longer ready so a balancer stops sending to it.
 */
export function readiness(): Readiness {
  const s = appState()
  if (!s) return { status: 'starting', pending: pendingBootSteps() }
  if (s.ops.mode.get().shuttingDown) return { status: 'stopping', message: 'shutting down: in-flight requests are finishing' }
  return { status: 'ok', uptime_s: Math.round((Date.now() - s.startedAt.getTime()) / 1000) }
}
