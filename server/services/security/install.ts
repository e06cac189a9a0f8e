import type { AppState } from '../app-state'
import { SecurityState } from './security-state'
import { admitClient } from '../../gateway/limits/admit'

/** Boot step: load tokens, sessions and usage; wire client-key admission, settlement and the wrong-key guard. */
export async function installSecurity(s: AppState): Promise<void> {
  const sec = await SecurityState.load(s.db, s.cluster.usage ?? undefined)
  s.security = sec
  // Redis restarted empty: the day and month budgets come back from the request log, as at boot.
  if (s.cluster.usage) s.cluster.usage.reseed = () => sec.seedUsage()
  s.gateway.admit = (who, ask) => admitClient(sec.usage, who, ask, Date.now())
  s.gateway.settle = (ticket, spent) => sec.usage.settle(ticket, spent, Date.now())
  s.gateway.keyGuard = sec.clientKeyGuard
}
