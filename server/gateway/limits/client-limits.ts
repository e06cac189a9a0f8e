/** What a client key may use; every field optional (absent = unlimited). Compiled into the snapshot. */
export interface ClientLimits {
  /** Epoch ms after which the key no longer works. */
  expiresAt?: number
  rpm?: number
  tpm?: number
  dayTokens?: number
  monthTokens?: number
  dayUsd?: number
  monthUsd?: number
}

const pos = (v: unknown): number | undefined => {
  if (v === null || v === undefined) return undefined
  const n = Number(v)
  return n > 0 ? n : undefined
}

/** A client_keys row (DuckDB column names) → its limits, or undefined when it has none. */
export function limitsOf(r: Partial<Record<'expires_at' | 'rpm' | 'tpm' | 'day_tokens' | 'month_tokens' | 'day_usd' | 'month_usd', unknown>>): ClientLimits | undefined {
  const exp = r.expires_at ? Date.parse(String(r.expires_at).includes('T') ? String(r.expires_at) : String(r.expires_at).replace(' ', 'T') + 'Z') : undefined
  const l: ClientLimits = {
    expiresAt: exp,
    rpm: pos(r.rpm),
    tpm: pos(r.tpm),
    dayTokens: pos(r.day_tokens),
    monthTokens: pos(r.month_tokens),
    dayUsd: pos(r.day_usd),
    monthUsd: pos(r.month_usd),
  }
  for (const k of Object.keys(l) as (keyof ClientLimits)[]) if (l[k] === undefined) delete l[k]
  return Object.keys(l).length ? l : undefined
}
