import { TRPCError } from '@trpc/server'
import { appState, type AppState } from '../../services/app-state'

/** The booted app for the log/stats/prices routers; a still-starting server is a clean 503. */
export function logState(): AppState {
  const s = appState()
  if (!s) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the server is still starting' })
  return s
}
