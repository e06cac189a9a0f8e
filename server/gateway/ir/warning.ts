/**
 * A lossy step of a conversion: what happened (`code`) to which field (`field`, in the client's terms
 * when the client's request named it, else the upstream's), and a sentence for the log. Clients see
 * `code=field` in the `x-rosetta-warnings` response header; the request log keeps the sentences.
 */
export type WarningCode =
  /** A parameter, part or item was not sent (no equivalent upstream). `dropped=thinking` when thinking was turned off. */
  | 'dropped'
  /** A message was moved (a mid-conversation system message into the system prompt). */
  | 'moved'
  /** A limit was raised to the upstream's minimum (`max_output_tokens` below 16, `max_tokens` below a thinking budget). */
  | 'raised'
  /** A value was sent differently: clamped, replaced or downgraded. */
  | 'changed'

export interface IRWarning {
  code: WarningCode
  field: string
  message: string
}

export function warning(code: WarningCode, field: string, message: string): IRWarning {
  return { code, field, message }
}

export const WARNINGS_HEADER = 'x-rosetta-warnings'

/** Longest header value sent; a request with more warnings still has them all in the log. */
const MAX_HEADER = 2000

/** Header values must be visible ASCII; `;` and `=` separate entries, so neither may appear inside one. */
function headerSafe(s: string): string {
  return s.replace(/[^\x21-\x7e]|[;=,]/g, '_')
}

/** `dropped=top_p; moved=messages[3]`: each (code, field) once, in order; undefined when there is none. */
export function warningsHeader(ws: readonly IRWarning[] | undefined): string | undefined {
  if (!ws || ws.length === 0) return undefined
  const seen = new Set<string>()
  let out = ''
  for (const w of ws) {
    const entry = `${w.code}=${headerSafe(w.field)}`
    if (seen.has(entry)) continue
    seen.add(entry)
    const next = out === '' ? entry : `${out}; ${entry}`
    if (next.length > MAX_HEADER) return `${out}; more`
    out = next
  }
  return out
}

/** One line per warning, `code=field: message`, for the request log. */
export function warningsLog(ws: readonly IRWarning[] | undefined): string | null {
  if (!ws || ws.length === 0) return null
  return ws.map((w) => `${w.code}=${w.field}: ${w.message}`).join('\n')
}
