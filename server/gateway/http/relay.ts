import type { ServerResponse } from 'node:http'
import type { Dispatcher } from 'undici'
import type { DialectCodec, FrameReader, SSEMessage, StreamDecoder, StreamEncoder, UpstreamCodec } from '../codec'
import { createSSEReader } from '../sse'
import { mergeUsage, type IRStreamEvent, type IRUsage } from '../ir'
import { GatewayError } from '../errors'
import { toGatewayError } from '../upstream/client'
import type { FramesCapture } from '../capture-frames'

export interface RelayStats {
  usage: IRUsage | null
  bytesOut: number
  ttfbMs: number | null
  /**
   * A failure after the first byte: already reported in-band; kept for the log. `local`: a refusal
   * made here (a plugin), not the upstream's failure: it blames no key and no circuit.
   */
  error?: { kind: string; message: string; local?: boolean }
  /** The client left before the upstream's terminal event: nobody's failure. */
  cancelled?: boolean
  /** Upstream frames skipped because they did not parse (StreamDecoder.unparseable); absent when none. */
  unparseable?: number
}

export const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
}

/** What a relay needs besides the two bodies. */
export interface RelayContext {
  t0: number
  provider: string
  /** Set when the client's connection closed (ClientGone). */
  signal: { readonly aborted: boolean }
  /** convertStream only: when given (bodies are logged), every decoded event is kept here for the log to reassemble. */
  events?: IRStreamEvent[]
  /** pipeStream only: when given (bodies are logged), the stream's bytes for the log (decoded on its thread). */
  frames?: FramesCapture
  /** convertStream only: the plugins' stream hooks between the decoder and the client's encoder (issue 19). */
  transform?: (ev: IRStreamEvent) => IRStreamEvent[]
  /** convertStream only: every decoded event before `transform` (what the response cache keeps). */
  raw?: IRStreamEvent[]
}

function write(res: ServerResponse, data: string | Buffer): Promise<void> | undefined {
  if (res.write(data)) return undefined
  // Backpressure: wait for the client to drain (or to go away) before reading more upstream.
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}

/** A stream that ended before its terminal event (or sent nothing a decoder could read). */
function truncated(provider: string, anyEvent: boolean): GatewayError {
  return new GatewayError(
    'upstream_error',
    anyEvent ? `upstream '${provider}' ended its stream before its final event` : `upstream '${provider}' sent a stream without any readable event`,
    { provider },
  )
}

/**
 * Same dialect: pipe the upstream bytes straight back; read a copy only to learn the usage and
 * whether the stream completed. Nothing is sent (not even the headers) until the first event has been
 * decoded: a stream that fails before it throws a GatewayError and the request may fail over. After
 * it, failures are reported in-band and returned in the stats, and only the frames that may carry
 * usage, the finish or an error are decoded (UpstreamCodec.isTallyFrame): the deltas, most of a
 * stream, are split into frames and passed on unread. The body log keeps the bytes (FramesCapture).
 */
export async function pipeStream(
  body: Dispatcher.ResponseData['body'],
  res: ServerResponse,
  upstream: UpstreamCodec,
  client: DialectCodec,
  model: string,
  cx: RelayContext,
): Promise<RelayStats> {
  const stats: RelayStats = { usage: null, bytesOut: 0, ttfbMs: null }
  const frames = cx.frames
  const decoder = upstream.createStreamDecoder()
  const tally = upstream.isTallyFrame
  let terminal = false
  let seen = false
  let early: GatewayError | undefined
  const collect = (evs: IRStreamEvent[]) => {
    for (const ev of evs) {
      if (ev.type === 'usage') stats.usage = mergeUsage(stats.usage ?? undefined, ev.usage)
      else if (ev.type === 'finish') stats.usage = mergeUsage(stats.usage ?? undefined, ev.usage)
      else if (ev.type === 'start' && ev.usage) stats.usage = mergeUsage(stats.usage ?? undefined, ev.usage)
      else if (ev.type === 'error') {
        if (!seen) early ??= ev.error
        stats.error = { kind: ev.error.kind, message: ev.error.message }
        frames?.sawError()
        continue
      }
      seen = true
    }
  }
  const tap = frameReader(upstream, (msg: SSEMessage) => {
    if (!terminal && upstream.isTerminalFrame(msg)) terminal = true
    if (seen && tally && !tally(msg) && looksWhole(msg.data)) return
    collect(decoder.push(msg))
  })
  let pending: Buffer[] | null = []
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (pending !== null) {
        // Held until the first event is decoded: a stream that fails before it can still fail over.
        frames?.feed(chunk)
        tap.feed(chunk)
        if (early) throw early
        pending.push(chunk)
        if (!seen) continue
        res.writeHead(200, STREAM_HEADERS)
        stats.ttfbMs = performance.now() - cx.t0
        const first = pending.length === 1 ? pending[0]! : Buffer.concat(pending)
        pending = null
        stats.bytesOut += first.length
        const wait = write(res, first)
        if (wait) await wait
      } else {
        stats.bytesOut += chunk.length
        const wait = write(res, chunk)
        frames?.feed(chunk)
        tap.feed(chunk)
        if (wait) await wait
      }
      if (res.destroyed) break
    }
    tap.end()
    frames?.end()
    if (pending !== null && !cx.signal.aborted) throw early ?? truncated(cx.provider, seen)
    if (!terminal && !stats.error && !gone(cx, res)) throw truncated(cx.provider, true)
  } catch (e) {
    const err = toGatewayError(e, cx.provider)
    if (pending !== null && !cx.signal.aborted) throw err
    if (gone(cx, res)) return clientLeft(res, stats, terminal, decoder)
    const enc = client.createStreamEncoder({ model, sse: true })
    res.write(inBandError(err, stats, frames && ((ev) => frames.add(ev)), enc) + enc.end())
  }
  if (gone(cx, res) && !terminal && !stats.error) stats.cancelled = true
  res.end()
  return counted(stats, decoder)
}

/**
 * Could this frame's data be a whole JSON object? Only such a frame may go undecoded: one cut short
 * or garbled at its edges is decoded, so the decoder counts it (StreamDecoder.unparseable) and the log
 * row says a chunk was skipped. (One whose braces are whole but whose inside is not reaches the
 * client as sent, like every byte of a same-dialect stream, uncounted.) Empty data is a keep-alive.
 */
function looksWhole(data: string): boolean {
  return data.length === 0 || (data.charCodeAt(0) === 123 && data.charCodeAt(data.length - 1) === 125)
}

/** The upstream's framing: its own (Bedrock's binary eventstream) or Server-Sent Events. */
function frameReader(upstream: UpstreamCodec, onMessage: (msg: SSEMessage) => void): FrameReader {
  return upstream.createFrameReader?.(onMessage) ?? createSSEReader(onMessage)
}

const gone = (cx: RelayContext, res: ServerResponse) => cx.signal.aborted || res.destroyed

/**
 * The client left mid-stream: ends the response and returns the stats. After the terminal event that
 * is a success (Codex closes on response.completed); before it, the request was cancelled.
 */
function clientLeft(res: ServerResponse, stats: RelayStats, terminal: boolean, decoder: StreamDecoder): RelayStats {
  if (!terminal) stats.cancelled = true
  res.end()
  return counted(stats, decoder)
}

/** A failure after the stream began: recorded for the log (and the events, when kept); the client's in-band error frame. */
function inBandError(err: GatewayError, stats: RelayStats, keep: ((ev: IRStreamEvent) => void) | undefined, encoder: StreamEncoder): string {
  stats.error = { kind: err.kind, message: err.message }
  keep?.({ type: 'error', error: err })
  return encoder.push({ type: 'error', error: err })
}

/** The stats a relay returns, with the count of frames its decoder could not read. */
function counted(stats: RelayStats, decoder: StreamDecoder): RelayStats {
  const n = decoder.unparseable()
  if (n > 0) stats.unparseable = n
  return stats
}

/**
 * Converted: upstream SSE → upstream decoder → IR events → client encoder → client bytes. Like
 * pipeStream, nothing is sent before the first decoded event, and a stream without its terminal
 * event ends with an in-band error, never with a made-up clean finish.
 */
export async function convertStream(
  body: Dispatcher.ResponseData['body'],
  res: ServerResponse,
  upstream: UpstreamCodec,
  encoder: StreamEncoder,
  contentType: Record<string, string>,
  cx: RelayContext,
  onEvent?: (ev: IRStreamEvent) => void,
): Promise<RelayStats> {
  const stats: RelayStats = { usage: null, bytesOut: 0, ttfbMs: null }
  const events = cx.events
  const decoder = upstream.createStreamDecoder()
  let out = ''
  let terminal = false
  let committed = false
  let early: GatewayError | undefined
  const { transform, raw } = cx
  const one = (ev: IRStreamEvent, local: boolean) => {
    if (ev.type === 'usage' || ev.type === 'finish') stats.usage = mergeUsage(stats.usage ?? undefined, ev.usage)
    else if (ev.type === 'start' && ev.usage) stats.usage = mergeUsage(stats.usage ?? undefined, ev.usage)
    else if (ev.type === 'error') {
      if (local) stats.error = { kind: ev.error.kind, message: ev.error.message, local }
      else if (!committed && out === '') {
        early ??= ev.error
        return
      } else stats.error = { kind: ev.error.kind, message: ev.error.message }
    }
    onEvent?.(ev)
    if (events) events.push(ev)
    out += encoder.push(ev)
  }
  const emit = (evs: IRStreamEvent[]) => {
    for (const ev of evs) {
      raw?.push(ev)
      if (!transform) {
        one(ev, false)
        continue
      }
      // Plugins' hooks: an upstream error stays the upstream's; an error a hook made is a local refusal.
      for (const t of transform(ev)) one(t, t.type === 'error' && t !== ev)
    }
  }
  const reader = frameReader(upstream, (msg: SSEMessage) => {
    if (!terminal && upstream.isTerminalFrame(msg)) terminal = true
    emit(decoder.push(msg))
  })
  const flush = () => {
    if (!out) return undefined
    if (!committed) {
      res.writeHead(200, contentType)
      committed = true
    }
    if (stats.ttfbMs === null) stats.ttfbMs = performance.now() - cx.t0
    stats.bytesOut += Buffer.byteLength(out)
    const w = write(res, out)
    out = ''
    return w
  }
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      reader.feed(chunk)
      if (early) throw early
      const wait = flush()
      if (wait) await wait
      if (res.destroyed) break
    }
    reader.end()
    if (early) throw early
    if (gone(cx, res)) {
      if (!terminal) stats.cancelled = true
    } else if (terminal || stats.error) {
      emit(decoder.end())
      out += encoder.end()
    } else {
      const err = truncated(cx.provider, committed || out !== '')
      if (!committed) throw err
      out += inBandError(err, stats, events && ((ev) => events.push(ev)), encoder) + encoder.end()
    }
  } catch (e) {
    const err = toGatewayError(e, cx.provider)
    if (!committed && !cx.signal.aborted) throw err
    if (gone(cx, res)) return clientLeft(res, stats, terminal, decoder)
    out += inBandError(err, stats, events && ((ev) => events.push(ev)), encoder)
  }
  // The last write: end() follows it, so nothing waits for the client to drain.
  if (!res.destroyed) void flush()
  res.end()
  return counted(stats, decoder)
}
