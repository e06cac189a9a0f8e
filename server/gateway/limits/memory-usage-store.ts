import type { ClientLimits } from './client-limits'
import { newUsage, type ClientUsage, type UsageStore } from './usage-store'
import { reserveIn, settleIn, type Ask, type Refusal, type Spent, type Ticket } from './reservation'

/** The in-process UsageStore: one counter set per client key, changed synchronously (no races on one event loop). */
export class MemoryUsageStore implements UsageStore {
  private readonly map = new Map<string, ClientUsage>()

  usage(name: string): ClientUsage {
    let u = this.map.get(name)
    if (!u) {
      u = newUsage()
      this.map.set(name, u)
    }
    return u
  }

  entries(): IterableIterator<[string, ClientUsage]> {
    return this.map.entries()
  }

  reserve(name: string, limits: ClientLimits | undefined, ask: Ask, now: number): Ticket | Refusal {
    return reserveIn(this.usage(name), name, limits, ask, now)
  }

  settle(ticket: Ticket, spent: Spent, now: number): void {
    settleIn(this.usage(ticket.name), ticket, spent, now)
  }
}
