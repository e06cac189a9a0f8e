import type { Snapshot } from '../routing/snapshot'
import { GatewayError } from '../errors'
import { KEY_SHAPES_SOURCE } from '../secret-shapes'

/** What a scrubbed secret becomes: plain text, so it is valid inside a JSON string as well. */
export const REDACTED = '[redacted]'

/** Anything shaped like an API key, configured here or not (secret-shapes.ts). */
const VENDOR_KEY = new RegExp(KEY_SHAPES_SOURCE, 'g')

/**
 * Configured keys shorter than this are placeholders (`none`, `EMPTY`, `ollama` for keyless local
 * servers), not secrets: scrubbing them would garble every message that contains the word.
 */
const MIN_KEY_LENGTH = 8

/**
 * Removes upstream keys from text that came from an upstream (error bodies and messages) before it
 * reaches a client, a log row, the key state, an API answer or stdout (issue 21): every configured
 * key, verbatim, and anything shaped like a vendor key.
 */
export class SecretScrubber {
  private readonly keys: string[]

  constructor(keys: Iterable<string>) {
    // Longest first, so a key that contains another is removed whole.
    this.keys = [...new Set([...keys].filter((k) => k.length >= MIN_KEY_LENGTH))].sort((a, b) => b.length - a.length)
  }

  /** `also`: the key this very call used (it may have left the configuration meanwhile). */
  scrub(text: string, also?: string): string {
    let out = text
    if (also && also.length >= MIN_KEY_LENGTH && out.includes(also)) out = out.replaceAll(also, REDACTED)
    for (const k of this.keys) if (out.includes(k)) out = out.replaceAll(k, REDACTED)
    VENDOR_KEY.lastIndex = 0
    return VENDOR_KEY.test(out) ? out.replace(VENDOR_KEY, REDACTED) : out
  }
}

/** The same error with its message (and kept upstream body) scrubbed; the error itself when clean. */
export function scrubError(err: GatewayError, scrubber: SecretScrubber, also?: string): GatewayError {
  const message = scrubber.scrub(err.message, also)
  const upstreamBody = err.upstreamBody === undefined ? undefined : scrubber.scrub(err.upstreamBody, also)
  if (message === err.message && upstreamBody === err.upstreamBody) return err
  return new GatewayError(err.kind, message, {
    status: err.status,
    provider: err.provider,
    upstreamStatus: err.upstreamStatus,
    upstreamBody,
    retryAfter: err.retryAfter,
    param: err.param,
  })
}

const bySnapshot = new WeakMap<Snapshot, SecretScrubber>()

/** The scrubber for a configuration: built on first use (an error path), then kept with it. */
export function scrubberFor(snap: Snapshot): SecretScrubber {
  let s = bySnapshot.get(snap)
  if (!s) {
    const keys: string[] = []
    for (const p of snap.providers.values())
      for (const k of p.keys) {
        keys.push(k.key)
        // A key made of parts (a Bedrock credential) may leak one part alone.
        if (p.transport.secrets) keys.push(...p.transport.secrets(k.key))
      }
    s = new SecretScrubber(keys)
    bySnapshot.set(snap, s)
  }
  return s
}
