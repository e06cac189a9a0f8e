/**
 * NUXT_MAX_RESPONSE_MB as bytes: the most of a non-streamed upstream answer the gateway holds in
 * memory (and of one server-sent event in a stream). Set once at boot (app-state.ts); the default
 * is the setting's default, so tests and tools that never boot get the same bound.
 */
let limit = 64 * 1024 * 1024

export function maxResponseBytes(): number {
  return limit
}

export function setMaxResponseBytes(bytes: number): void {
  limit = bytes
}

/** An upstream error body is only ever decoded for its message: this much is plenty. */
export const MAX_ERROR_BODY_BYTES = 1024 * 1024
