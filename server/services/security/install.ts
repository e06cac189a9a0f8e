import type { AppState } from '../app-state'
import { SecurityState } from './security-state'
import { admitClient } from '../../gateway/limits/admit'

/** Boot step: load tokens, sessions and usage; wire client-key admission and usage accounting. */
export async function installSecurity(s: AppState): Promise<void> {
  const sec = await SecurityState.load(s.db)
  s.security = sec
  s.gateway.admit = (who) => admitClient(sec.usage, who, Date.now())
  s.sinks.add(sec.accountant)
}
