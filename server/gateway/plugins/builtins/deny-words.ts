import { defineRosettaPlugin } from '../api'
import { visitParts, visitRequestText } from '../request-text'
import { GatewayError } from '../../errors'
import { compiledOnce, inRequest, inResponse, oneOf, optionalString, strings, WHERE } from './options'

/** How far back a streamed answer is re-read when a delta arrives, so a word split across chunks is still found. */
const STREAM_LOOKBACK = 256

/** One regex for every word (case-insensitive, whole words when a word is made of word characters) and pattern. */
const compile = compiledOnce((o) => {
  const words = strings(o.words, 'words')
  const patterns = strings(o.patterns, 'patterns')
  const sources = [
    ...words.filter((w) => w.length > 0).map((w) => {
      const esc = w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      return /^\w+$/.test(w) ? `\\b${esc}\\b` : esc
    }),
    ...patterns.map((p) => `(?:${p})`),
  ]
  return {
    re: sources.length ? new RegExp(sources.join('|'), 'iu') : undefined,
    where: oneOf(o.in, 'in', WHERE, 'request'),
    message: optionalString(o.message, 'message') ?? 'the request contains a word or phrase that is not allowed here',
    status: o.status === 403 ? (403 as const) : (400 as const),
  }
})

/**
 * `deny-words`: refuses a request whose text contains a listed word or matches a pattern (400 by
 * default, in the client's dialect), and with `in: response|both` an answer that does (non-streamed:
 * the client gets the refusal instead; streamed: the stream ends with an in-band error before the word).
 */
export default defineRosettaPlugin({
  name: 'deny-words',
  onRequest(req, ctx) {
    const c = compile(ctx.options)
    if (!c.re || !inRequest(c.where)) return
    let hit: string | undefined
    visitRequestText(req, (p) => {
      hit ??= c.re!.exec(p.text)?.[0]
    })
    if (hit !== undefined) return { deny: c.message, status: c.status }
  },
  onResponse(res, ctx) {
    const c = compile(ctx.options)
    if (!c.re || !inResponse(c.where)) return
    let hit = false
    visitParts(res.parts, (p) => {
      hit ||= c.re!.test(p.text)
    })
    if (hit) return { deny: 'the answer contained a word or phrase that is not allowed here', status: 403 }
  },
  onStreamEvent(ev, ctx) {
    const c = compile(ctx.options)
    if (!c.re || !inResponse(c.where)) return
    if (ctx.state.stopped) return null
    if (ev.type !== 'text-delta' && ev.type !== 'reasoning-delta') return
    const key = `t${ev.index}`
    const seen = `${(ctx.state[key] as string | undefined) ?? ''}${ev.text}`
    ctx.state[key] = seen.slice(-STREAM_LOOKBACK)
    if (!c.re.test(seen)) return
    ctx.state.stopped = true
    return { type: 'error', error: new GatewayError('permission', 'the answer contained a word or phrase that is not allowed here') }
  },
})
