import type { ServerResponse } from 'node:http'
import type { Dispatcher } from 'undici'
import type { DialectCodec, StreamEncoder } from '../codec'
import { createSSEReader } from '../sse'
import { mergeUsage, type IRStreamEvent, type IRUsage } from '../ir'
import { toGatewayError } from '../upstream/client'

export interface RelayStats {
  usage: IRUsage | null
  bytesOut: number
  ttfbMs: number | null
  /** A failure after the first byte: already reported in-band; kept for the log. */
  error?: { kind: string; message: string }
}

export const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
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

/**
 * Same dialect: pipe the upstream bytes straight back; decode a copy only to learn the usage.
 */
export async function pipeStream(
  body: Dispatcher.ResponseData['body'],
  res: ServerResponse,
  upstream: DialectCodec,
  client: DialectCodec,
  t0: number,
  provider: string,
  model: string,
  /** When given (bodies are logged), every decoded event is kept here for the log to reassemble. */
  events?: IRStreamEvent[],
): Promise<RelayStats> {
  const stats: RelayStats = { usage: null, bytesOut: 0, ttfbMs: null }
  const decoder = upstream.createStreamDecoder()
  const collect = (evs: IRStreamEvent[]) => {
    for (const ev of evs) {
      if (events) events.push(ev)
      if (ev.type === 'usage') stats.usage = mergeUsage(stats.usage ?? undefined, ev.usage)
      else if (ev.type === 'finish') stats.usage = mergeUsage(stats.usage ?? undefined, ev.usage)
      else if (ev.type === 'start' && ev.usage) stats.usage = mergeUsage(stats.usage ?? undefined, ev.usage)
    }
  }
  const tap = createSSEReader((msg) => collect(decoder.push(msg)))
  res.writeHead(200, STREAM_HEADERS)
  try {
    for await (const chunk of body) {
      if (stats.ttfbMs === null) stats.ttfbMs = performance.now() - t0
      stats.bytesOut += chunk.length
      const wait = write(res, chunk)
      tap.feed(chunk)
      if (wait) await wait
      if (res.destroyed) break
    }
    tap.end()
  } catch (e) {
    const err = toGatewayError(e, provider)
    stats.error = { kind: err.kind, message: err.message }
    if (events) events.push({ type: 'error', error: err })
    if (!res.destroyed) {
      const enc = client.createStreamEncoder({ model, sse: true })
      res.write(enc.push({ type: 'error', error: err }) + enc.end())
    }
  }
  res.end()
  return stats
}

/**
 * Converted: upstream SSE → upstream decoder → IR events → client encoder → client bytes.
 */
export async function convertStream(
  body: Dispatcher.ResponseData['body'],
  res: ServerResponse,
  upstream: DialectCodec,
  encoder: StreamEncoder,
  contentType: Record<string, string>,
  t0: number,
  provider: string,
  onEvent?: (ev: IRStreamEvent) => void,
  /** When given (bodies are logged), every event is kept here for the log to reassemble. */
  events?: IRStreamEvent[],
): Promise<RelayStats> {
  const stats: RelayStats = { usage: null, bytesOut: 0, ttfbMs: null }
  const decoder = upstream.createStreamDecoder()
  let out = ''
  const emit = (evs: IRStreamEvent[]) => {
    for (const ev of evs) {
      if (ev.type === 'usage' || ev.type === 'finish') stats.usage = mergeUsage(stats.usage ?? undefined, ev.usage)
      else if (ev.type === 'start' && ev.usage) stats.usage = mergeUsage(stats.usage ?? undefined, ev.usage)
      else if (ev.type === 'error') stats.error = { kind: ev.error.kind, message: ev.error.message }
      onEvent?.(ev)
      if (events) events.push(ev)
      out += encoder.push(ev)
    }
  }
  const reader = createSSEReader((msg) => emit(decoder.push(msg)))
  res.writeHead(200, contentType)
  const flush = () => {
    if (!out) return undefined
    if (stats.ttfbMs === null) stats.ttfbMs = performance.now() - t0
    stats.bytesOut += Buffer.byteLength(out)
    const w = write(res, out)
    out = ''
    return w
  }
  try {
    for await (const chunk of body) {
      reader.feed(chunk)
      const wait = flush()
      if (wait) await wait
      if (res.destroyed) break
    }
    reader.end()
    emit(decoder.end())
    out += encoder.end()
  } catch (e) {
    const err = toGatewayError(e, provider)
    stats.error = { kind: err.kind, message: err.message }
    if (events) events.push({ type: 'error', error: err })
    out += encoder.push({ type: 'error', error: err })
  }
  if (!res.destroyed) flush()
  res.end()
  return stats
}
