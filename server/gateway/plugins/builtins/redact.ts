import { defineRosettaPlugin } from '../api'
import type { IRStreamEvent } from '../../ir'
import { visitParts, visitRequestText } from '../request-text'
import { APPLY_ORDER, DETECTORS, LABEL, PII_KINDS, type PiiKind } from './pii'
import { compiledOnce, inRequest, inResponse, oneOf, optionalString, strings, WHERE } from './options'
import { releasable } from './stream-holdback'

/** Characters of a streamed answer held back at least (longer than any e-mail, phone, card or ID). */
const HOLD = 64
/** A held run without any whitespace is released anyway past this length. */
const FORCE = 2048

interface Rule {
  re: RegExp
  valid?: (m: string) => boolean
  label: string
}

const compile = compiledOnce((o) => {
  const kinds = o.types === undefined ? [...PII_KINDS] : (strings(o.types, 'types') as PiiKind[])
  for (const k of kinds) if (!PII_KINDS.includes(k)) throw new Error(`with.types: unknown type '${k}' (known: ${PII_KINDS.join(', ')})`)
  const replacement = optionalString(o.replacement, 'replacement')
  const rules: Rule[] = APPLY_ORDER.filter((k) => kinds.includes(k)).map((k) => ({ re: DETECTORS[k].re, valid: DETECTORS[k].valid, label: replacement ?? LABEL[k] }))
  for (const p of strings(o.patterns, 'patterns')) rules.push({ re: new RegExp(p, 'gu'), label: replacement ?? '[REDACTED]' })
  return { rules, where: oneOf(o.in, 'in', WHERE, 'both') }
})

function redact(text: string, rules: readonly Rule[]): string {
  let out = text
  for (const r of rules) {
    r.re.lastIndex = 0
    out = out.replace(r.re, (m) => (!r.valid || r.valid(m) ? r.label : m))
  }
  return out
}

/** Start of the earliest match that ends after `cut` (so it may still grow), or undefined. */
function earliestOpenMatch(text: string, rules: readonly Rule[], cut: number): number | undefined {
  let start: number | undefined
  for (const r of rules) {
    r.re.lastIndex = 0
    for (const m of text.matchAll(r.re)) if (m.index + m[0].length >= cut && (start === undefined || m.index < start)) start = m.index
  }
  return start
}

/**
 * `redact`: replaces e-mail addresses, phone numbers, card numbers (Luhn-checked), mainland-China ID
 * numbers (checksum-checked) and custom regexes with a label, in the prompt before it leaves
 * (`in: request`), in the answer (`in: response`), or both (the default). Streamed answers are redacted
 * across chunk boundaries: a tail that might still be part of a match is held back until it is not.
 */
export default defineRosettaPlugin({
  name: 'redact',
  onRequest(req, ctx) {
    const c = compile(ctx.options)
    if (inRequest(c.where)) visitRequestText(req, (p) => (p.text = redact(p.text, c.rules)))
    return req
  },
  onResponse(res, ctx) {
    const c = compile(ctx.options)
    if (inResponse(c.where)) visitParts(res.parts, (p) => (p.text = redact(p.text, c.rules)))
    return res
  },
  onStreamEvent(ev, ctx) {
    const c = compile(ctx.options)
    if (!inResponse(c.where)) return
    const held = ctx.state as Record<string, string>
    if (ev.type === 'text-delta' || ev.type === 'reasoning-delta') {
      const buf = (held[ev.index] ?? '') + ev.text
      const cut = releasable(buf, HOLD, (at) => earliestOpenMatch(buf, c.rules, at), FORCE)
      held[ev.index] = buf.slice(cut)
      return cut === 0 ? null : { ...ev, text: redact(buf.slice(0, cut), c.rules) }
    }
    if (ev.type === 'text-end' || ev.type === 'reasoning-end') {
      const rest = held[ev.index]
      delete held[ev.index]
      if (!rest) return
      const delta: IRStreamEvent = ev.type === 'text-end' ? { type: 'text-delta', index: ev.index, text: redact(rest, c.rules) } : { type: 'reasoning-delta', index: ev.index, text: redact(rest, c.rules) }
      return [delta, ev]
    }
  },
})
