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

/**
 * The longest an error message is kept, in UTF-8 bytes. On PostgreSQL the error rows' covering index
 * (migration 1005) carries the message, and a btree entry must fit a third of a page (2,704 bytes):
 * one longer message would fail its whole batch. Both engines keep the same text.
 */
export const ERROR_MESSAGE_MAX_BYTES = 2_000

const encoder = new TextEncoder()
const cutBuffer = new Uint8Array(ERROR_MESSAGE_MAX_BYTES)

/** A message cut to the longest prefix of whole characters within ERROR_MESSAGE_MAX_BYTES. */
export function errorMessage(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null
  if (v.length * 3 <= ERROR_MESSAGE_MAX_BYTES) return v
  // encodeInto stops before a character that does not fit whole; `read` is how much of `v` did.
  const { read } = encoder.encodeInto(v, cutBuffer)
  return read === v.length ? v : v.slice(0, read)
}
