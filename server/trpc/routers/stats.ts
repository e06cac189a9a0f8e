import { router, viewerProcedure } from '../init'
import { statsBreakdown, statsSeries, statsStacked, statsSummary } from '../../services/db/stats-repo'
import { logFilterSchema, statsBreakdownSchema, statsSeriesSchema, statsStackedSchema } from '../../../shared/schemas/request-log'
import { logState } from './log-state'

/** Statistics over the request log: totals, a time series, and a breakdown by one dimension. */
export const statsRouter = router({
  summary: viewerProcedure.input(logFilterSchema).query(({ input }) => statsSummary(logState().requestLog.reader, input)),
  series: viewerProcedure.input(statsSeriesSchema).query(({ input }) => statsSeries(logState().requestLog.reader, input)),
  /** The series split by model or provider (the busiest few, the rest as one group). */
  stacked: viewerProcedure.input(statsStackedSchema).query(({ input }) => statsStacked(logState().requestLog.reader, input)),
  breakdown: viewerProcedure.input(statsBreakdownSchema).query(({ input }) => statsBreakdown(logState().requestLog.reader, input)),
})
