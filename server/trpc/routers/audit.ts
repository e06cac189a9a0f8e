import { TRPCError } from '@trpc/server'
import { adminProcedure, router } from '../init'
import { appState } from '../../services/app-state'
import { listAudit } from '../../services/db/audit-repo'
import { auditListSchema } from '../../../shared/schemas/security'

/** The audit log: read with filters (admin role); deliberately no procedure changes it. */
export const auditRouter = router({
  list: adminProcedure.input(auditListSchema).query(({ input }) => {
    const s = appState()
    if (!s) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the server is starting' })
    return listAudit(s.db, input)
  }),
})
