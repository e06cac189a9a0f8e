import type { inferRouterOutputs } from '@trpc/server'
import type { AppRouter } from '~~/server/trpc/routers/_app'

export type RunModeState = inferRouterOutputs<AppRouter>['ops']['mode']['get']

/**
 * The server's run mode, shared by the banner on every page and the switch in Settings, so a change
 * made in Settings shows in the banner at once (the banner also polls for changes made elsewhere).
 */
export function useRunMode() {
  const mode = useState<RunModeState | null>('run-mode', () => null)
  const { $trpc } = useNuxtApp()
  async function refresh() {
    // Quiet on failure: a banner is no reason for an error toast on every page.
    mode.value = await $trpc.ops.mode.get.query().catch(() => mode.value)
  }
  return { mode, refresh }
}
