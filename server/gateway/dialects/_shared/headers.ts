/** Upstream response headers as undici hands them over: lower-case names, repeated ones as arrays. */
export type WireHeaders = Record<string, string | string[] | undefined>

/** One header's first value, by case-insensitive name. */
export function header(headers: WireHeaders | undefined, name: string): string | undefined {
  if (!headers) return undefined
  const want = name.toLowerCase()
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === want) return Array.isArray(v) ? v[0] : v
  }
  return undefined
}

/** A `retry-after` value: delta-seconds or an HTTP date → seconds from now (never negative). */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const n = Number(value)
  if (Number.isFinite(n)) return Math.max(0, n)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000))
}

/** Seconds to wait: OpenAI's `retry-after-ms` when present (finer), else the standard `retry-after`. */
export function retryAfterSeconds(headers: WireHeaders | undefined): number | undefined {
  const ms = header(headers, 'retry-after-ms')
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms) / 1000)
  return parseRetryAfter(header(headers, 'retry-after'))
}
