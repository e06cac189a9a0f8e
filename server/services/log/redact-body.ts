import { createHash } from 'node:crypto'
import { percentDecode } from '../../gateway/http/percent-decode'
import { KEY_SHAPES_SOURCE } from '../../gateway/secret-shapes'
import { str } from '../../gateway/json'

/**
 * Makes a body safe and small enough to store: secrets (by key name, and key-shaped strings anywhere)
 * become "[redacted]", and large base64 payloads (data: URLs, Anthropic/Gemini/OpenAI `data` fields)
 * become `{type, size, sha256}` so an image costs ~100 bytes instead of megabytes. Never mutates its
 * input (the request object may still be referenced elsewhere). Runs off the request's critical path.
 */
const SECRET_KEY = /api[-_]?key|apikey|authorization|password|passwd|secret|access[-_]?token|refresh[-_]?token|auth[-_]?token|private[-_]?key|^cookie$|^x-goog-api-key$/i
/** Key-shaped strings inside free text (the one list in gateway/secret-shapes.ts) and bearer tokens. */
const SECRET_TEXT = new RegExp(`${KEY_SHAPES_SOURCE}|\\bBearer\\s+[A-Za-z0-9._~+/=-]{16,}`, 'g')
const BIG = 1024
const BASE64 = /^[A-Za-z0-9+/=\r\n_-]+$/
const DATA_URL = /^data:([^;,]*)(;[^,]*)?,/

export const REDACTED = '[redacted]'

export interface BinarySummary {
  type: string
  size: number
  sha256: string
}

export function redactBody(value: unknown): unknown {
  return walk(value, undefined, undefined)
}

function walk(v: unknown, key: string | undefined, mediaType: string | undefined): unknown {
  if (typeof v === 'string') return redactString(v, key, mediaType)
  if (Array.isArray(v)) return v.map((x) => walk(x, undefined, undefined))
  if (v === null || typeof v !== 'object') return v
  const o = v as Record<string, unknown>
  // The sibling that names a `data` field's type (Anthropic media_type, Gemini mimeType, OpenAI format).
  const mt = str(o.media_type) ?? str(o.mimeType) ?? str(o.mime_type) ?? str(o.format)
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(o)) {
    const x = o[k]
    out[k] = SECRET_KEY.test(k) && x !== null && x !== undefined && typeof x !== 'object' ? REDACTED : walk(x, k, mt)
  }
  return out
}

function redactString(s: string, key: string | undefined, mediaType: string | undefined): unknown {
  if (s.length > BIG) {
    const m = DATA_URL.exec(s)
    if (m) return summary(m[1] || 'application/octet-stream', s.slice(m[0].length), Boolean(m[2]?.includes('base64')))
    if ((key === 'data' || key === 'b64_json' || key === 'image_base64') && BASE64.test(s.slice(0, 4096))) return summary(mediaType ?? 'base64', s, true)
  }
  return s.length >= 16 ? s.replace(SECRET_TEXT, REDACTED) : s
}

function summary(type: string, payload: string, base64: boolean): BinarySummary {
  // A data URL with malformed %-escapes is summarised as its raw text rather than lost to a throw.
  const bytes = base64 ? Buffer.from(payload, 'base64') : Buffer.from(percentDecode(payload) ?? payload)
  return { type, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }
}

/** The body as stored: JSON text capped at `maxBytes` (cut on a UTF-8 boundary), and whether it was cut. */
export function capText(text: string, maxBytes: number): { text: string; truncated: boolean; bytes: number } {
  const bytes = Buffer.byteLength(text)
  if (bytes <= maxBytes) return { text, truncated: false, bytes }
  let cut = Buffer.from(text).subarray(0, maxBytes).toString('utf8')
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1)
  return { text: cut, truncated: true, bytes }
}

/**
 * Could this JSON text hold anything redaction would change? A superset test on the raw text: a
 * secret-looking key name, a key-shaped string, a data: URL, any escape that could hide one of those
 * from the raw text, a 1 kB run of base64, or line-wrapped base64. Most bodies pass it and are stored
 * as they are, instead of being parsed, walked and serialised again.
 *
 * Several small tests instead of one alternation: the single regex cost 16 µs on a 420-byte answer
 * and 2 ms on a 57 kB conversation (its base64 branches restarted at every character); these cost
 * about a tenth (tests/unit/log/redaction-fast-path.test.ts checks they flag exactly what it did).
 */
const SUSPECT_KEY = /"[^"]{0,64}(?:api[-_]?key|apikey|authorization|password|passwd|secret|access[-_]?token|refresh[-_]?token|auth[-_]?token|private[-_]?key|cookie)[^"]{0,64}"\s*:/i
const SUSPECT_SHAPE = new RegExp(KEY_SHAPES_SOURCE, 'i')
const SUSPECT_BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]{16,}/i
const DATA_URL_ANYWHERE = /data:/i
const ESCAPE = /\\[u/]/

export function mayNeedRedaction(json: string): boolean {
  return (
    SUSPECT_SHAPE.test(json) || SUSPECT_BEARER.test(json) || DATA_URL_ANYWHERE.test(json) || ESCAPE.test(json) || SUSPECT_KEY.test(json) || hasBase64Block(json)
  )
}

/** 1: in base64's alphabet [A-Za-z0-9+/=]; 2: in the URL-safe one's extra characters (- and _). */
const BASE64_CHAR = (() => {
  const t = new Uint8Array(128)
  for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=') t[c.charCodeAt(0)] = 1
  t['-'.charCodeAt(0)] = 2
  t['_'.charCodeAt(0)] = 2
  return t
})()
const BACKSLASH = 92
const LETTER_N = 110
const LETTER_R = 114

/** Is there a run of `min` characters of [A-Za-z0-9+/=_-]? Probes every `min`-th character. */
function hasRun(s: string, min: number): boolean {
  const inAlphabet = (i: number) => {
    const c = s.charCodeAt(i)
    return c < 128 && BASE64_CHAR[c] !== 0
  }
  let i = min - 1
  while (i < s.length) {
    // Outside the alphabet: no run of `min` can span this probe, so the next one starts after it.
    if (!inAlphabet(i)) {
      i += min
      continue
    }
    let len = 1
    for (let j = i - 1; j >= 0 && inAlphabet(j); j--) if (++len >= min) return true
    let k = i + 1
    for (; k < s.length && inAlphabet(k); k++) if (++len >= min) return true
    i = k + min
  }
  return false
}

/**
 * One pass over the text for what the base64 summaries replace: a run of 1024 characters of
 * [A-Za-z0-9+/=_-], or four lines in a row of at least 60 characters of [A-Za-z0-9+/=], each ended
 * by an escaped line break (\n or \r\n), as MIME wraps base64.
 */
export function hasBase64Block(s: string): boolean {
  // Both shapes hold a run of 60 characters of the wider alphabet; prose has none, and finding that
  // out takes one look every 60 characters.
  if (s.length < 240 || !hasRun(s, 60)) return false
  let run = 0
  let line = 0
  let lines = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const k = c < 128 ? BASE64_CHAR[c]! : 0
    if (k !== 0) {
      if (++run >= 1024) return true
      if (k === 1) line++
      else line = lines = 0
      continue
    }
    run = 0
    if (c === BACKSLASH) {
      // \n, or \r\n: the end of a wrapped line. The letters after the backslashes are in the
      // alphabet, so a run restarts at the n.
      let j = i + 1
      if (s.charCodeAt(j) === LETTER_R && s.charCodeAt(j + 1) === BACKSLASH) j += 2
      if (s.charCodeAt(j) === LETTER_N) {
        lines = line >= 60 ? lines + 1 : 0
        if (lines >= 4) return true
        line = 0
        run = 1
        i = j
        continue
      }
    }
    line = lines = 0
  }
  return false
}

/** A parsed body as stored JSON text: serialised once, and walked only when it may need redaction. */
export function redactedJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null'
  return mayNeedRedaction(text) ? JSON.stringify(redactBody(value)) : text
}

/** A text body (JSON, SSE, anything): parsed and redacted when it is JSON, else scrubbed as text. */
export function redactText(text: string): string {
  if (!mayNeedRedaction(text)) return text
  const t = text.trimStart()
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.stringify(redactBody(JSON.parse(text)))
    } catch {
      /* not JSON after all */
    }
  }
  return text.replace(SECRET_TEXT, REDACTED)
}
