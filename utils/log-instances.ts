/**
 * The instances that served these log rows, each once, in first-seen order (rows older than
 * migration 019 have none). The log page shows its instance column only when this has more than one
 * name: a single server's log would only repeat its own name on every row.
 */
export function distinctInstances(rows: ReadonlyArray<{ instance: string | null }>): string[] {
  const seen = new Set<string>()
  for (const r of rows) if (r.instance) seen.add(r.instance)
  return [...seen]
}
