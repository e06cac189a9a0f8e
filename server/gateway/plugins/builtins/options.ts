/**
 * Reading a plugin's `with:` options (typed as unknown: they come from YAML). Each built-in compiles
 * its options once per configuration (the options object is the snapshot's, so a WeakMap keyed by it
 * lives exactly as long as that configuration).
 */
export function strings(v: unknown, field: string): string[] {
  if (v === undefined) return []
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Error(`with.${field} must be a list of strings`)
  return v as string[]
}

export function oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[], dflt: T): T {
  if (v === undefined) return dflt
  if (typeof v !== 'string' || !allowed.includes(v as T)) throw new Error(`with.${field} must be one of ${allowed.join(', ')}`)
  return v as T
}

export function optionalNumber(v: unknown, field: string): number | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`with.${field} must be a number`)
  return v
}

export function optionalString(v: unknown, field: string): string | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'string') throw new Error(`with.${field} must be a string`)
  return v
}

/** Compiled once per options object (see above). */
export function compiledOnce<T>(compile: (o: Readonly<Record<string, unknown>>) => T): (o: Readonly<Record<string, unknown>>) => T {
  const cache = new WeakMap<object, T>()
  return (o) => {
    let c = cache.get(o)
    if (c === undefined) {
      c = compile(o)
      cache.set(o, c)
    }
    return c
  }
}

/** Where a text plugin acts: the prompt going out, the answer coming back, or both. */
export const WHERE = ['request', 'response', 'both'] as const
export type Where = (typeof WHERE)[number]
export const inRequest = (w: Where) => w !== 'response'
export const inResponse = (w: Where) => w !== 'request'
