import { TRPCError } from '@trpc/server'
import { router, viewerProcedure } from '../init'
import { appState } from '../../services/app-state'

/** The embedding cache's numbers: hits, misses, hit rate, rows, TTL and bound. */
export const embeddingsRouter = router({
  cacheStats: viewerProcedure.query(() => {
    const s = appState()
    if (!s) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the server is still starting' })
    return s.embeddingCache.stats()
  }),
})
