/** One field that an import would change, `before → after` (absent on one side = added or removed). */
export interface FieldChange {
  field: string
  before?: unknown
  after?: unknown
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** JSON with object keys sorted: equal values give equal text whatever order their keys came in. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`
  if (isPlain(v))
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(',')}}`
  return JSON.stringify(v) ?? 'null'
}

const join = (path: string, k: string) => (!path ? k : /^[A-Za-z_][\w-]*$/.test(k) ? `${path}.${k}` : `${path}[${k}]`)

/**
 * The fields that differ between two canonical records: objects are compared key by key (a nested
 * object that exists on one side only is one change), arrays and scalars as whole values.
 */
export function diffFields(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isPlain(before) && isPlain(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    return keys.flatMap((k) => {
      const b = before[k]
      const a = after[k]
      if (b === undefined && a === undefined) return []
      if (b === undefined) return [{ field: join(path, k), after: a }]
      if (a === undefined) return [{ field: join(path, k), before: b }]
      return diffFields(b, a, join(path, k))
    })
  }
  return stableJson(before) === stableJson(after) ? [] : [{ field: path || '(value)', before, after }]
}
