import type { DialectName } from './dialect'

/**
 * A vendor's opaque token (Anthropic thinking `signature`, Gemini `thoughtSignature`, Responses
 * `encrypted_content`). Clients treat it as an opaque string, so it may ride inside another
 * dialect's field and come back: `origin` says whose it is, so only that vendor is sent it again.
 */
export interface Signature {
  origin: DialectName
  value: string
}

/**
 * Marker put in front of a foreign signature when it is carried in another dialect's string field,
 * e.g. a Gemini thoughtSignature inside an Anthropic thinking `signature`. Short and unlikely to
 * collide with a real vendor value (those are base64 / base64url).
 */
const PREFIX = 'rsig1.'

export function wrapSignature(sig: Signature, carrier: DialectName): string {
  return sig.origin === carrier ? sig.value : `${PREFIX}${sig.origin}.${sig.value}`
}

export function unwrapSignature(value: string, carrier: DialectName): Signature {
  if (value.startsWith(PREFIX)) {
    const rest = value.slice(PREFIX.length)
    const dot = rest.indexOf('.')
    if (dot > 0) return { origin: rest.slice(0, dot) as DialectName, value: rest.slice(dot + 1) }
  }
  return { origin: carrier, value }
}

/** A signature to send to `target`: only its own, never another vendor's (they reject those). */
export function signatureFor(sig: Signature | undefined, target: DialectName): string | undefined {
  return sig && sig.origin === target ? sig.value : undefined
}
