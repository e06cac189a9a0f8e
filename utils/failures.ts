/** A key's failures arrive as a count per error kind (`{ rate_limit: 2, server: 1 }`). */
export type FailureCounts = Partial<Record<string, number>>

export function failureTotal(f: FailureCounts | null | undefined): number {
  let n = 0
  for (const v of Object.values(f ?? {})) n += v ?? 0
  return n
}

/** "rate_limit 2 · server 1", biggest first: the hover text behind the total. */
export function failureBreakdown(f: FailureCounts | null | undefined): string {
  return Object.entries(f ?? {})
    .filter(([, v]) => (v ?? 0) > 0)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ')
}
