import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Door, GatewayRuntime } from './door'
import type { IRRequest, IRResponse, IRStreamEvent, IRUsage } from './ir'
import { PluginRetryRequest, type PluginRun } from './plugins/run'
import type { ResponseCapture } from './log-entry'
import type { ProviderKey } from './routing/snapshot'
import type { ResolvedTarget } from './routing/resolve'
import { droppedExtras, warning } from './ir'
import { CODECS, TRANSPORTS, UPSTREAM_CODECS } from './registry'
import { addLogWarning, setWarnings } from './http/warnings'
import type { ClientGone } from './http/client-gone'
import { GatewayError } from './errors'
import { sendError, sendJson } from './http/respond'
import { callUpstream } from './upstream/client'
import { upstreamHeaders } from './upstream/auth-headers'
import { anthropicHeaders } from './upstream/anthropic-headers'
import { convertStream, pipeStream, STREAM_HEADERS, type RelayContext, type RelayStats } from './http/relay'
import { readBounded, readErrorText } from './upstream/read-bounded'
import { scrubberFor, scrubError } from './upstream/scrub-secrets'
import { CappedEvents } from './capture-events'
import { FRAMES_MAX_BYTES, FramesCapture } from './capture-frames'

export interface AttemptInput {
  target: ResolvedTarget
  key: ProviderKey | undefined
  body: Record<string, unknown>
  raw: Buffer
  ir: IRRequest | undefined
  model: string
  stream: boolean
  signal: ClientGone
  t0: number
  /** NUXT_LOG_BODIES: keep what the client got (by reference) for the body log. */
  captureBodies?: boolean
  /** What the operation's `prepare` found for this target (the embeddings cache lookup). */
  prepared?: unknown
  /** Set for a request with a response cache or plugins (extended-delivery.ts): the answer goes through the IR. */
  via?: ViaIR
}

/**
 * A request whose answer must pass through the IR (issue 19): always converted, even to its own dialect,
 * so the plugins' response hooks see it and the cache can keep it.
 */
export interface ViaIR {
  run?: PluginRun
  /** Collects a stream's decoded events before the hooks (for the cache). */
  rawEvents?: IRStreamEvent[]
  /** Gets a complete answer before the hooks (for the cache). */
  answer?: (r: IRResponse) => void
}

/** A failed attempt before any byte reached the client; `raw` lets a same-dialect client see its vendor's own words. */
export class AttemptFailure extends Error {
  constructor(
    readonly error: GatewayError,
    readonly raw?: { status: number; body: string; retryAfter?: string },
  ) {
    super(error.message)
  }
  /** Time to the upstream's response headers, when it answered at all (for the log). */
  upstreamMs?: number
}

export interface AttemptResult extends RelayStats {
  status: number
  /** The answer is a local estimate, not the upstream's word (token counting for OpenAI targets). */
  estimated?: boolean
  /** Time from sending the upstream request to its response headers. */
  upstreamMs?: number
  /** What the client got, for the body log (only when captureBodies). */
  body?: ResponseCapture
}

/**
 * One upstream call and its relay back to the client. Throws AttemptFailure when the upstream
 * refuses or cannot be reached (nothing sent yet, so the caller may try elsewhere); once the first
 * byte is out, failures are reported in-band and returned in the stats.
 */
export async function attempt(rt: GatewayRuntime, door: Door, req: IncomingMessage, res: ServerResponse, a: AttemptInput): Promise<AttemptResult> {
  const p = a.target.provider
  const t = p.transport
  const up = t.dialectFor(a.target.model, door.dialect)
  // A request plugins or the cache work on goes through the IR even to its own dialect.
  const same = up === door.dialect && !a.via
  const clientCodec = CODECS[door.dialect]
  const upCodec = UPSTREAM_CODECS[up]
  const call = { dialect: up, op: 'generate', model: a.target.model, stream: a.stream } as const
  // The URL is the provider type's to build (providers/, dialects/<name>/transport.ts).
  const path = t.path(call, p.options)
  if (path === undefined) throw new AttemptFailure(new GatewayError('unsupported', `provider '${p.id}' has no endpoint for ${up} requests`, { provider: p.id, param: 'model' }))

  let payload: string | Buffer
  let extra: Record<string, string> | undefined
  if (same) {
    // Same dialect: the client's bytes, untouched but for the model name (Gemini's is in the path);
    // nothing lost, nothing to warn. A vendor that wants the body its own way (t.body) gets a copy.
    setWarnings(res, undefined)
    const vendorBody = t.body?.(call, up === 'gemini' ? a.body : { ...a.body, model: a.target.model })
    if (vendorBody) payload = JSON.stringify(vendorBody)
    else if (up === 'gemini' || a.body.model === a.target.model) payload = a.raw
    else payload = JSON.stringify({ ...a.body, model: a.target.model })
    if (t.forwardsClientHeaders)
      for (const h of TRANSPORTS[door.dialect].forwardedHeaders ?? []) {
        const v = req.headers[h]
        if (typeof v === 'string') (extra ??= {})[h] = v
      }
  } else {
    const ir = a.ir!
    // Warnings are per attempt: the decoder's, the fields this upstream cannot take, and the encoder's.
    const warnings = [...(ir.warnings ?? []), ...droppedExtras(ir, door.dialect, up)]
    const upReq: IRRequest = { ...ir, model: a.target.model, extras: ir.extras?.[up] ? { [up]: ir.extras[up] } : undefined, warnings }
    rt.signatures.restore(upReq.messages)
    const enc = upCodec.encodeRequest(upReq, { maxTokensField: p.maxTokensField, quirks: p.quirks })
    setWarnings(res, upReq.warnings)
    payload = JSON.stringify(t.body?.(call, enc.body) ?? enc.body)
    // A converted request to Anthropic still carries the client's version and beta flags (merged with the encoder's).
    extra = up === 'anthropic' && t.forwardsClientHeaders ? anthropicHeaders(req, enc.headers) : enc.headers
  }

  const sent = performance.now()
  let upRes
  try {
    const headers = await upstreamHeaders(p, a.key, up, extra, { path: p.basePath + path, body: payload, edits: a.via?.run?.upstreamHeaders })
    upRes = await callUpstream(
      { origin: p.origin, path: p.basePath + path, headers, body: payload, signal: a.signal, timeoutMs: p.timeoutMs, stream: a.stream, idleTimeoutMs: rt.delivery.streamIdleMs },
      p.id,
    )
  } catch (e) {
    throw new AttemptFailure(e as GatewayError)
  }
  const upstreamMs = performance.now() - sent

  if (upRes.statusCode >= 400) {
    // Scrubbed of upstream keys before anything reads it: the client (raw passthrough included),
    // the error message, the log, the key state (issue 21).
    const text = scrubberFor(rt.snapshot()).scrub(await readErrorText(upRes), a.key?.key)
    const err = upCodec.decodeError(upRes.statusCode, text, upRes.headers)
    const ra = upRes.headers['retry-after']
    const f = new AttemptFailure(err, same ? { status: upRes.statusCode, body: text, retryAfter: typeof ra === 'string' ? ra : undefined } : undefined)
    f.upstreamMs = upstreamMs
    throw f
  }

  if (!a.stream) {
    let text: string
    try {
      text = await readBounded(upRes, p.id)
    } catch (e) {
      if (GatewayError.is(e)) throw new AttemptFailure(e)
      throw new AttemptFailure(new GatewayError('connection', `upstream '${p.id}' broke off its response: ${(e as Error).message}`, { provider: p.id }))
    }
    const ttfbMs = performance.now() - a.t0
    let usage: IRUsage | null = null
    if (same) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
      res.end(text)
      // Usage for the log, read after the client has its answer.
      try {
        usage = upCodec.decodeUsage(JSON.parse(text))
      } catch {
        usage = null
      }
      return { status: 200, usage, bytesOut: Buffer.byteLength(text), ttfbMs, upstreamMs, body: a.captureBodies ? { kind: 'text', text } : undefined }
    }
    let decoded
    try {
      decoded = upCodec.decodeResponse(JSON.parse(text))
    } catch (e) {
      throw new AttemptFailure(new GatewayError('upstream_error', `upstream '${p.id}' sent an unreadable response: ${(e as Error).message}`, { provider: p.id }))
    }
    rt.signatures.remember(decoded.parts)
    if (a.via) {
      a.via.answer?.(decoded)
      if (a.via.run) {
        try {
          decoded = await a.via.run.onResponse(decoded)
        } catch (e) {
          // A hook asked for one more upstream call: nothing is sent; extended-delivery.ts delivers again.
          if (e instanceof PluginRetryRequest) return { status: 200, usage: decoded.usage, bytesOut: 0, ttfbMs, upstreamMs }
          // A hook refused the answer (or failed closed): the client gets the refusal; no upstream is blamed.
          const err = sendError(res, door.dialect, e)
          return { status: res.statusCode, usage: decoded.usage, bytesOut: 0, ttfbMs, upstreamMs, error: { kind: err.kind, message: err.message, local: true } }
        }
      }
    }
    const out = JSON.stringify(clientCodec.encodeResponse(decoded, a.model))
    sendJson(res, 200, out)
    return { status: 200, usage: decoded.usage, bytesOut: Buffer.byteLength(out), ttfbMs, upstreamMs, body: a.captureBodies ? { kind: 'text', text: out } : undefined }
  }

  const geminiArray = door.gemini !== undefined && !door.gemini.sse
  // An upstream error event in the stream may quote the key: the client (converted streams), the log
  // and the key state get it scrubbed. (A same-dialect stream's bytes go to the client untouched.)
  // The scrubber is looked up only when an error shows up: a clean stream never needs it.
  const clean = (e: GatewayError) => scrubError(e, scrubberFor(rt.snapshot()), a.key?.key)
  const pipe = same && !geminiArray
  const maxChars = rt.logBodyMaxBytes ?? 64 * 1024
  // A piped stream's body is kept as its bytes (decoded on the log thread); a converted one as its events.
  const frames = a.captureBodies && pipe ? new FramesCapture(clientCodec, maxChars, FRAMES_MAX_BYTES, clean) : undefined
  const events: IRStreamEvent[] | undefined = a.captureBodies && !pipe ? new CappedEvents(maxChars, clean) : undefined
  const cx: RelayContext = { t0: a.t0, provider: p.id, signal: a.signal, events, frames, transform: a.via?.run?.streamTransform(), raw: a.via?.rawEvents }
  let stats: RelayStats
  try {
    if (pipe) {
      stats = await pipeStream(upRes.body, res, upCodec, clientCodec, a.model, cx)
    } else {
      const encoder = clientCodec.createStreamEncoder({ model: a.model, sse: !geminiArray, includeUsage: a.ir?.includeUsage })
      const ct = geminiArray ? { ...STREAM_HEADERS, 'content-type': 'application/json; charset=utf-8' } : STREAM_HEADERS
      const callIds = new Map<number, string>()
      stats = await convertStream(upRes.body, res, upCodec, encoder, ct, cx, (ev) => {
        if (ev.type === 'tool-call-start') callIds.set(ev.index, ev.id)
        else if (ev.type === 'tool-call-end' && ev.signature) rt.signatures.put(callIds.get(ev.index) ?? '', ev.signature)
        else if (ev.type === 'error') ev.error = clean(ev.error) // before the client's encoder writes it
      })
    }
  } catch (e) {
    // The stream failed before its first event: nothing reached the client, so it may fail over.
    const f = new AttemptFailure(clean(e as GatewayError))
    f.upstreamMs = upstreamMs
    throw f
  }
  if (stats.error) stats.error = { ...stats.error, message: scrubberFor(rt.snapshot()).scrub(stats.error.message, a.key?.key) }
  if (stats.unparseable) {
    const n = stats.unparseable
    addLogWarning(res, warning('dropped', 'stream', `${n} upstream stream chunk${n === 1 ? '' : 's'} from '${p.id}' did not parse as JSON and ${n === 1 ? 'was' : 'were'} skipped`))
  }
  const body = frames ? frames.capture(door.dialect, a.model) : events ? ({ kind: 'events', events, dialect: door.dialect, model: a.model } as const) : undefined
  return { status: 200, ...stats, upstreamMs, body }
}
