import { whenReady } from '../../services/app-state'
import { detailedHealth } from '../../services/ops/detailed-health'
import { requireAdmin } from '../../utils/admin-auth'

/** GET /health/detailed (admin): database, providers, keys, process, mode, monitor. */
export default defineEventHandler(async (event) => {
  if (!requireAdmin(event)) return
  const s = await whenReady()
  setResponseHeader(event, 'cache-control', 'no-store')
  return detailedHealth(s)
})
