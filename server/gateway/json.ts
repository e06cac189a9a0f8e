/** Plain narrowing of parsed JSON bodies, one name per check, for every wire codec (dialects, embeddings) and the IR. */

export type Json = Record<string, unknown>

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The array `v` is (its elements still unknown: Array.isArray alone would make them `any`), else empty. */
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? (v as unknown[]) : []
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/** A finite JSON number (Gemini also accepts proto3 int64 strings: see its own `num`). */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

/** Removes keys whose value is `undefined` (wire bodies never carry them). */
export function compact<T extends Json>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]
  return o
}
