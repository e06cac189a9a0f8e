import { maskSecret } from './hashing'

/** Field names whose string values are secrets: key, apiKey, admin_key, oldMasterKey, token, password... */
const SECRET_FIELD = /(?:^|[_-]|[a-z])(?:key|Key|KEY)$|^key$|secret|password|passwd|token$|Token$|authorization|cookie/i

/**
 * A deep copy with every secret-looking string masked (`sk-a…wxyz`), for the audit log and anything
 * else that records what a caller sent. Bounded in depth and size: it never throws on odd input.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 20) return '[too deep]'
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => redactSecrets(v, depth + 1))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 200)) {
      out[k] = typeof v === 'string' && SECRET_FIELD.test(k) && !isMasked(v) ? maskSecret(v) : redactSecrets(v, depth + 1)
    }
    return out
  }
  if (typeof value === 'string' && value.length > 2000) return value.slice(0, 2000) + '…'
  return value
}

/** Already masked (`sk-a…wxyz`): masking again would only lose the hint. */
const isMasked = (v: string) => v.length <= 9 && v.includes('…')
