import type { LogSink, RequestLogEntry } from '../../gateway/log-entry'
import { SlidingWindow, type WindowStats } from './sliding-window'
import { entryOf } from '../../../shared/map-entry'

export interface EndpointStats extends WindowStats {
  endpoint: string
  dialect: string
  stream: boolean
  totalCount: number
  totalErrors: number
}

/**
 * Per-endpoint performance for the monitor page: one sliding window per (dialect, stream) pair, so
 * the key space is bounded by the gateway's doors, never by client input.
 */
export class EndpointMonitor implements LogSink {
  private windows = new Map<string, { dialect: string; stream: boolean; win: SlidingWindow; total: number; errors: number }>()

  constructor(private readonly makeWindow: () => SlidingWindow = () => new SlidingWindow()) {}

  push(e: RequestLogEntry): void {
    const key = `${e.dialect}${e.stream ? ':stream' : ''}`
    const w = entryOf(this.windows, key, () => ({ dialect: e.dialect, stream: e.stream, win: this.makeWindow(), total: 0, errors: 0 }))
    // A stream that failed after its 200 still counts as an error (errorKind is set in-band).
    // A request the client abandoned (`cancelled`) is nobody's error.
    const error = (e.status >= 400 || e.errorKind !== null) && e.errorKind !== 'cancelled'
    w.total++
    if (error) w.errors++
    w.win.record(e.latencyMs, error)
  }

  snapshot(): { windowSeconds: number; endpoints: EndpointStats[] } {
    const endpoints = [...this.windows.entries()]
      .map(([endpoint, w]) => ({ endpoint, dialect: w.dialect, stream: w.stream, totalCount: w.total, totalErrors: w.errors, ...w.win.stats() }))
      .sort((a, b) => a.endpoint.localeCompare(b.endpoint))
    const any = this.windows.values().next().value
    return { windowSeconds: Math.round((any?.win.windowMs ?? 300_000) / 1000), endpoints }
  }
}
