import { whenReady } from '../../services/app-state'
import { detailedHealth } from '../../services/ops/detailed-health'
import { requireRole } from '../../utils/admin-auth'

/** GET /health/detailed (admin): database, providers, keys, process, mode, monitor. */
export default defineEventHandler(async (event) => {
  if (!requireRole(event, 'viewer')) return
  const s = await whenReady()
  setResponseHeader(event, 'cache-control', 'no-store')
  return detailedHealth(s)
})
