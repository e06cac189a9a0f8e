import { z } from 'zod'
import { TRPCError } from '@trpc/server'
import { router, viewerProcedure } from '../init'
import { getLog, listLogs } from '../../services/db/log-repo'
import { logListSchema } from '../../../shared/schemas/request-log'
import { logState } from './log-state'

/** The request log: a filtered, paginated list and one request in full (attempts, bodies). */
export const logsRouter = router({
  list: viewerProcedure.input(logListSchema).query(({ input }) => listLogs(logState().requestLog.reader, input)),
  /** Bodies are shown to admins and operators, and to viewers whose token allows it. */
  get: viewerProcedure.input(z.object({ requestId: z.string().min(1).max(100) })).query(async ({ input, ctx }) => {
    const row = await getLog(logState().requestLog.reader, input.requestId)
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `no request '${input.requestId}' in the log (expired, or not yet flushed)` })
    const mayRead = ctx.principal?.role !== 'viewer' || ctx.canViewBodies
    return mayRead ? row : { ...row, bodies: null, bodiesHidden: true }
  }),
  /** Queue depths and drops of the log's writers, and the last retention run. */
  status: viewerProcedure.query(() => {
    const s = logState()
    const b = s.requestLog.bodies
    return {
      metadata: { depth: s.logWriter.depth, dropped: s.logWriter.dropped, written: s.logWriter.written },
      bodies: b ? { depth: b.depth, dropped: b.dropped, written: b.written } : null,
      retention: s.requestLog.retention.last ?? null,
    }
  }),
})
