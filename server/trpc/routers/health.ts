import { publicProcedure, router } from '../init'
import { appState } from '../../services/app-state'

export const healthRouter = router({
  get: publicProcedure.query(() => {
    const s = appState()
    return {
      status: s ? ('ok' as const) : ('starting' as const),
      uptimeSeconds: s ? Math.round((Date.now() - s.startedAt.getTime()) / 1000) : 0,
      providers: s ? s.snapshot.providers.size : 0,
      models: s ? s.snapshot.models.size : 0,
      routes: s ? s.snapshot.routes.length : 0,
    }
  }),
})
