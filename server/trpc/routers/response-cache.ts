import { z } from 'zod'
import { operatorProcedure, router, viewerProcedure } from '../init'
import { requireState } from '../errors'

/** The exact response cache (issue 19): its numbers, and purging it (all of it, or one model's answers). */
export const responseCacheRouter = router({
  stats: viewerProcedure.query(() => requireState().responseCache.stats()),
  purge: operatorProcedure
    .input(z.object({ model: z.string().min(1).optional() }).default({}))
    .mutation(async ({ input }) => ({ removed: await requireState().responseCache.purge(input.model) })),
  /** Every plugin requests may name (built-ins and NUXT_PLUGINS_DIR's), with its failures, and modules that did not load. */
  plugins: viewerProcedure.query(() => {
    const s = requireState()
    return { dir: s.settings.pluginsDir || null, loadErrors: s.plugins.loadErrors, list: s.plugins.report() }
  }),
})
