import { operatorProcedure, router, viewerProcedure } from '../init'
import { listPrices } from '../../services/db/price-repo'
import { priceUpdateSchema } from '../../../shared/schemas/request-log'
import { logState } from './log-state'

/** The price table behind the cost column: list, and add/replace/remove rows (applied at once). */
export const pricesRouter = router({
  list: viewerProcedure.query(() => listPrices(logState().db)),
  update: operatorProcedure.input(priceUpdateSchema).mutation(async ({ input }) => {
    const s = logState()
    await s.requestLog.updatePrices(input.upsert, input.remove)
    return listPrices(s.db)
  }),
})
