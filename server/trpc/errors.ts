import { TRPCError } from '@trpc/server'
import { ConfigChangeError } from '../services/config/admin-config'
import { appState, type AppState } from '../services/app-state'

/** Runs a configuration service call, turning its refusals into typed tRPC errors. */
export async function configCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof ConfigChangeError) throw new TRPCError({ code: e.code, message: e.message })
    throw e
  }
}

export function requireState(): AppState {
  const s = appState()
  if (!s) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the server is starting' })
  return s
}
