/**
 * An INTEGER column's value: rounded, and null when it is not a finite int32 (a hostile upstream's
 * token count must not fail the batch it travels in).
 */
export function int(v: number | null | undefined): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null
  const r = Math.round(v)
  return r > 2_147_483_647 || r < -2_147_483_648 ? null : r
}

/** A DOUBLE column's value: null when not finite (JSON has no NaN; it would arrive as null anyway). */
export function dbl(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : v
}
