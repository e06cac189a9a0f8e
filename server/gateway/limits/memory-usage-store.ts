import type { ClientLimits } from './client-limits'
import { newUsage, type ClientUsage, type UsageStore } from './usage-store'
import { reserveIn, settleIn, type Ask, type Refusal, type Spent, type Ticket } from './reservation'
import { entryOf } from '../../../shared/map-entry'

/** The in-process UsageStore: one counter set per client key, changed synchronously (no races on one event loop). */
export class MemoryUsageStore implements UsageStore {
  private readonly map = new Map<string, ClientUsage>()

  usage(name: string): ClientUsage {
    return entryOf(this.map, name, newUsage)
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
