import type { DialectName, UpstreamDialect } from './dialect'
import type { ReasoningPart } from './content'

/**
 * A vendor's opaque token (Anthropic thinking `signature`, Gemini `thoughtSignature`, Responses
 * `encrypted_content`). Clients treat it as an opaque string, so it may ride inside another
 * dialect's field and come back: `origin` says whose it is, so only that vendor is sent it again.
 */
export interface Signature {
  origin: UpstreamDialect
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
    if (dot > 0) return { origin: rest.slice(0, dot) as UpstreamDialect, value: rest.slice(dot + 1) }
  }
  return { origin: carrier, value }
}

/** A signature to send to `target`: only its own, never another vendor's (they reject those). */
export function signatureFor(sig: Signature | undefined, target: UpstreamDialect): string | undefined {
  return sig && sig.origin === target ? sig.value : undefined
}

/**
 * Thinking that must come back through a client that drops it. Gemini CLI returns a function call's
 * `thoughtSignature` but never the thought parts before it, while Anthropic (with thinking on) needs
 * the thinking block, text and signature, before the tool_use it led to. So the whole block rides in
 * the call's thoughtSignature: `rsig1.thinking.<base64url of JSON>`, restored by the Gemini decoder.
 * Only reasoning a vendor can verify is carried: signed or redacted, never Gemini's own (Gemini
 * validates the signature on the part it was attached to, which goes back as it was).
 */
const THINKING_PREFIX = `${PREFIX}thinking.`

interface CarriedThinking {
  /** text, signature origin + value, or redacted data */
  t?: string
  o?: UpstreamDialect
  v?: string
  r?: string
}

export function carriesThinking(p: ReasoningPart): boolean {
  return p.redactedData !== undefined || (p.signature !== undefined && p.signature.origin !== 'gemini')
}

export function wrapThinking(parts: readonly ReasoningPart[]): string | undefined {
  const carried: CarriedThinking[] = []
  for (const p of parts) {
    if (!carriesThinking(p)) continue
    if (p.redactedData !== undefined) carried.push({ r: p.redactedData })
    else carried.push({ t: p.text, o: p.signature!.origin, v: p.signature!.value })
  }
  if (carried.length === 0) return undefined
  return THINKING_PREFIX + Buffer.from(JSON.stringify(carried)).toString('base64url')
}

/** The reasoning parts a `wrapThinking` value holds; undefined when it is not one (or is damaged). */
export function unwrapThinking(value: string): ReasoningPart[] | undefined {
  if (!value.startsWith(THINKING_PREFIX)) return undefined
  let carried: unknown
  try {
    carried = JSON.parse(Buffer.from(value.slice(THINKING_PREFIX.length), 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
  if (!Array.isArray(carried)) return undefined
  const out: ReasoningPart[] = []
  for (const c of carried as CarriedThinking[]) {
    if (typeof c !== 'object' || c === null) return undefined
    if (typeof c.r === 'string') out.push({ type: 'reasoning', text: '', redactedData: c.r })
    else if (typeof c.t === 'string' && typeof c.o === 'string' && typeof c.v === 'string') out.push({ type: 'reasoning', text: c.t, signature: { origin: c.o, value: c.v } })
    else return undefined
  }
  return out
}
