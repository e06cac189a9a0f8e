/**
 * What the mock upstream answers on any dialect's chat endpoint, written by that dialect's own codec:
 * the scenario in the model name (scenarios.ts, recorded replays), scripted faults, and the error
 * answers every vendor file shares (an error in the dialect's shape, a 401 quoting the key, a huge body).
 */
import type { ServerResponse } from 'node:http'
import type { DialectName } from '../../../server/gateway/ir'
import { responseToEvents } from '../../../server/gateway/ir'
import { CODECS } from '../../../server/gateway/registry'
import { GatewayError } from '../../../server/gateway/errors'
import { scenarioResponse } from './scenarios'
import { REPLAYS } from './replays'

/**
 * A scripted answer for one upstream model (see `MockUpstream.script`): `e500`, `e429` (no
 * retry-after), `e429-ra<N>` (retry-after: N), `garbage` (a 200 stream of unparseable frames),
 * `truncated` (a 200 stream cut before its terminal event), `silent` (200 headers, then nothing),
 * `linger` (a complete stream whose connection stays open 1 s after its terminal event), `noisy` (a
 * complete stream with one unparseable frame after its first event), `ok`.
 */
export type Fault = 'e500' | 'e429' | `e429-ra${number}` | 'garbage' | 'truncated' | 'silent' | 'linger' | 'noisy' | 'ok'

/** A JSON answer; true, so endpoint handlers can `return sendJson(…)`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
  return true
}

/** An error in dialect `d`'s own shape, as its vendor would send it. */
export function sendError(d: DialectName, res: ServerResponse, err: GatewayError, headers: Record<string, string> = {}): void {
  const { body } = CODECS[d].encodeError(err)
  res.writeHead(err.status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

/**
 * The error a model beside chat (embeddings, token counts) asks for: `*-e400*` or `*-e500*` in its
 * name, or an upstream key with `-k500-`. False when it asks for none.
 */
export function endpointFault(d: DialectName, model: string, key: string, res: ServerResponse): boolean {
  const m = /-e(400|500)/.exec(model) ?? (/-k500-/.test(key) ? ['', '500'] : null)
  if (!m) return false
  const kind = m[1] === '400' ? 'invalid_request' : 'upstream_error'
  sendError(d, res, new GatewayError(kind, `mock ${d} says e${m[1]}`, { status: Number(m[1]) }))
  return true
}

/** `prelude`: frames a vendor sends before the answer's own (Azure's prompt-filter chunk). */
export function answer(d: DialectName, scenario: string, model: string, stream: boolean, res: ServerResponse, prelude = ''): void {
  const codec = CODECS[d]
  const errorKind: Record<string, [GatewayError['kind'], number]> = {
    e429: ['rate_limit', 429],
    e429n: ['rate_limit', 429],
    equota: ['quota', 429],
    e400: ['invalid_request', 400],
    e500: ['upstream_error', 500],
    e401: ['authentication', 401],
  }
  if (errorKind[scenario]) {
    const [kind, status] = errorKind[scenario]!
    sendError(d, res, new GatewayError(kind, `mock ${d} says ${scenario}`, { status }), scenario === 'e429' ? { 'retry-after': '7' } : {})
    return
  }
  const replay = REPLAYS[`${d}:${scenario}`]
  if (replay) {
    if (stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end(prelude + replay.stream)
    } else {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(replay.json ?? '{}')
    }
    return
  }
  const ir = scenarioResponse(d, scenario.replace(/^midstream$/, 'text').replace(/^(?:slow|crawl)$/, 'long'), model)
  if (!ir) {
    sendError(d, res, new GatewayError('not_found', `mock has no scenario '${scenario}'`))
    return
  }
  if (!stream) {
    sendJson(res, 200, codec.encodeResponse(ir, model))
    return
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' })
  if (prelude) res.write(prelude)
  const enc = codec.createStreamEncoder({ model, sse: true, includeUsage: true })
  const events = responseToEvents(ir, scenario === 'slow' || scenario === 'crawl' ? 2 : 4)
  if (scenario === 'slow' || scenario === 'crawl') {
    // One frame every 50 ms (~1.5 s in all; `crawl`: every 500 ms, ~15 s): a stream still running
    // while a test acts on the server (a browser test on a loaded machine needs the longer one).
    const timer = setInterval(() => {
      const e = events.shift()
      if (e) res.write(enc.push(e))
      else {
        clearInterval(timer)
        res.end(enc.end())
      }
    }, scenario === 'crawl' ? 500 : 50)
    res.once('close', () => clearInterval(timer))
    return
  }
  if (scenario === 'midstream') {
    // A few frames, then the connection dies: the gateway must report it in-band.
    res.write(events.slice(0, 4).map((e) => enc.push(e)).join(''))
    setTimeout(() => res.destroy(), 20)
    return
  }
  res.end(events.map((e) => enc.push(e)).join('') + enc.end())
}

/** Keeps an answer's connection open (`open`: what close() destroys) until the client or the mock ends it. */
function holdOpen(res: ServerResponse, open: Set<ServerResponse>): void {
  open.add(res)
  res.once('close', () => open.delete(res))
}

export function playFault(d: DialectName, fault: Fault, model: string, stream: boolean, res: ServerResponse, open: Set<ServerResponse>): void {
  const codec = CODECS[d]
  const limited = /^e429(?:-ra(\d+))?$/.exec(fault)
  if (fault === 'e500' || limited) {
    const status = limited ? 429 : 500
    sendError(d, res, new GatewayError(limited ? 'rate_limit' : 'upstream_error', `mock ${d} says ${fault}`, { status }), limited?.[1] ? { 'retry-after': limited[1] } : {})
    return
  }
  if (!stream) {
    // Non-streamed faults: an unreadable body (garbage, truncated) or no body at all (silent).
    res.writeHead(200, { 'content-type': 'application/json' })
    if (fault === 'silent') {
      res.flushHeaders()
      holdOpen(res, open)
    } else res.end(fault === 'linger' ? JSON.stringify(codec.encodeResponse(scenarioResponse(d, 'text', model)!, model)) : '{"choices": [')
    return
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' })
  if (fault === 'garbage') {
    res.end('data: {"oops\n\ndata: <html>502 Bad Gateway</html>\n\n')
    return
  }
  if (fault === 'silent') {
    res.flushHeaders()
    holdOpen(res, open)
    return
  }
  const enc = codec.createStreamEncoder({ model, sse: true, includeUsage: true })
  const events = responseToEvents(scenarioResponse(d, 'text', model)!, 4)
  if (fault === 'noisy') {
    const frames = events.map((e) => enc.push(e))
    frames.splice(1, 0, 'data: {"half a frame\n\n')
    res.end(frames.join('') + enc.end())
    return
  }
  if (fault === 'truncated') {
    // Everything but the finish: the stream just ends.
    res.end(events.filter((e) => e.type !== 'finish').map((e) => enc.push(e)).join(''))
    return
  }
  // linger: the whole answer, then the connection stays open a while (the client may close first).
  res.write(events.map((e) => enc.push(e)).join('') + enc.end())
  holdOpen(res, open)
  const t = setTimeout(() => res.end(), 1000)
  res.once('close', () => clearTimeout(t))
}

/** A 401 that quotes the key it was sent, the way some vendors and proxies do. */
export function echoKey(d: DialectName, key: string, res: ServerResponse): void {
  sendError(d, res, new GatewayError('authentication', `Incorrect API key provided: ${key}. Check the key ${key} and retry.`, { status: 401 }), { 'x-echo': 'key in body' })
}

/**
 * A 600 MB JSON answer, generated lazily as the reader takes it (whitespace, with or without a
 * content-length): the gateway must refuse it without reading it whole.
 */
export function huge(declared: boolean, res: ServerResponse, sent: number[]): void {
  const total = 600 * 1024 * 1024
  const chunk = Buffer.alloc(64 * 1024, 0x20)
  const slot = sent.push(0) - 1
  res.writeHead(200, { 'content-type': 'application/json', ...(declared ? { 'content-length': String(total) } : {}) })
  const pump = () => {
    while (sent[slot]! < total && !res.destroyed) {
      sent[slot]! += chunk.length
      if (!res.write(chunk)) return void res.once('drain', pump)
    }
    if (!res.destroyed) res.end()
  }
  pump()
}

/** A deterministic vector for a text, so tests can compute what the gateway must return. */
export function mockVector(text: string, dims = 4): number[] {
  let h = 7
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) % 10_007
  return Array.from({ length: dims }, (_, k) => ((h + k * 101) % 1000) / 1000 - 0.5)
}
