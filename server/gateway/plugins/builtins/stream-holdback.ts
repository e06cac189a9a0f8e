/**
 * Releases a streamed text so that a rewrite (redaction) never misses something split across chunks:
 * the tail that might still be the start of a match is held until more text (or the block's end)
 * arrives. The cut is made only after whitespace that does not follow a digit or a `+`/`(`/`-` (so no
 * e-mail address, phone or card number, or ID spans it), at least `hold` characters from the end, and
 * before any match that reaches into the held tail.
 */
export function releasable(buffer: string, hold: number, matchesEndingAfter: (cut: number) => number | undefined, force: number): number {
  if (buffer.length <= hold) return 0
  let cut = buffer.length - hold
  // A match that crosses or follows the cut is held whole.
  const start = matchesEndingAfter(cut)
  if (start !== undefined && start < cut) cut = start
  let safe = cut
  while (safe > 0 && !(isSpace(buffer.charCodeAt(safe - 1)) && !joins(buffer.charCodeAt(safe - 2)))) safe--
  // A long run without a safe place (no whitespace): cut anyway once the buffer is this long.
  if (safe === 0 && buffer.length > force) return cut
  return safe
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 0x3000
/** Characters after which a number may go on past a space (`+86 138`, `4111 1111`, `(010) 1234`). */
const joins = (c: number) => (c >= 48 && c <= 57) || c === 43 || c === 40 || c === 41 || c === 45
