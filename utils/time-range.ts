/**
 * A time range as the admin pages choose it: a span back from now (`24h`), or a custom from/to.
 * What the stats and log queries take, and the export's query string, both come from here.
 */
export type TimeRange = { since: string } | { from: string; to: string }

/** Preset spans offered by the range pickers, shortest first. */
export const RANGE_PRESETS = ['15m', '1h', '24h', '7d', '30d'] as const

/** A custom range from a date picker's pair, or null while it is incomplete or inverted. */
export function customRange(pair: [Date, Date] | null | undefined): TimeRange | null {
  if (!pair) return null
  const [from, to] = pair
  if (!(from instanceof Date) || !(to instanceof Date) || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) return null
  return { from: from.toISOString(), to: to.toISOString() }
}

/** The range's length in ms (`since` from now), for choosing a chart's bucket and axis labels. */
export function rangeSpanMs(r: TimeRange, now = Date.now()): number {
  if ('since' in r) {
    const n = Number(r.since.slice(0, -1))
    const unit = r.since.slice(-1)
    return n * (unit === 'm' ? 60_000 : unit === 'h' ? 3_600_000 : 86_400_000)
  }
  return Math.max(0, Math.min(new Date(r.to).getTime(), now + 86_400_000) - new Date(r.from).getTime())
}
