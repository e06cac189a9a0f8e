import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Door, GatewayRuntime } from './door'
import type { IRRequest, IRResponse, IRStreamEvent } from './ir'
import { responseToEvents } from './ir'
import { CODECS } from './registry'
import { GatewayError } from './errors'
import { deliver, type DeliveryInput } from './delivery'
import { resolveModel } from './routing/resolve'
import type { Snapshot } from './routing/snapshot'
import type { RequestExtensions } from './extensions'
import type { PluginRun } from './plugins/run'
import { cacheKey } from './response-cache/key'
import { sampled, servable } from './response-cache/cache-entry'
import { sendJson } from './http/respond'
import { STREAM_HEADERS } from './http/relay'
import { assembleResponse } from '../services/log/assemble-response'

export const CACHE_HEADER = 'x-rosetta-cache'
export const CACHE_TTL_HEADER = 'x-rosetta-cache-ttl'
/** The longest TTL a request may ask for with x-rosetta-cache-ttl (a year, as in rosetta.yaml). */
const MAX_TTL_S = 31_536_000

/**
 * What a request with a response cache or plugins goes through (issue 19). Only requests whose model
 * entry, route or client key declares one come here; every other request goes straight to `deliver`
 * and pays nothing. Here the request is always decoded into the IR (plugins and the cache key work on
 * it), and the upstream's answer always comes back through the IR too: a same-dialect request is
 * converted instead of passed through byte for byte, so hooks see and may change every answer.
 *
 * Order: onRequest hooks (change, deny, answer) → the cache (a hit takes no key slot and makes no
 * upstream call) → delivery → onResponse / onStreamEvent hooks on the way out. A cached answer is the
 * upstream's, before the response hooks, which run again on every hit.
 */
export async function deliverExtended(
  rt: GatewayRuntime,
  door: Door,
  req: IncomingMessage,
  res: ServerResponse,
  d: DeliveryInput,
  ext: RequestExtensions,
  snap: Snapshot,
  run: PluginRun | undefined,
): Promise<void> {
  const { log } = d
  let ir = CODECS[door.dialect].decodeRequest(d.body, { model: d.model, stream: d.stream })
  let resolution = d.resolution
  if (run) {
    const r = await run.onRequest(ir)
    ir = r.request
    // The body log keeps the request as the plugins passed it on (redact's replacements, not the client's originals).
    if (rt.logBodies && run.changesRequests) log.requestBody = CODECS[door.dialect].encodeRequest({ ...ir, model: d.model }).body
    if (r.answer) return answerFromIR(rt, door, res, d, ir, r.answer, run)
    if (ir.model !== d.model) {
      // A plugin changed the model (model-rewrite): route the new name (its own cache/plugins are not added).
      const again = resolveModel(snap, ir.model, door.forcedProvider)
      if (!again) throw new GatewayError('not_found', `model '${ir.model}' (rewritten from '${d.model}' by a plugin) is not served here`)
      resolution = again
      log.route = again.rule
    }
  }

  const cache = ext.cache && rt.responseCache ? ext.cache : undefined
  let key: string | undefined
  let ttlS = 0
  if (cache && (cache.anyTemperature || !sampled(ir))) {
    key = cacheKey(ir, resolution)
    ttlS = requestedTtl(req) ?? cache.ttlS
    if (req.headers[CACHE_HEADER] !== 'no-cache') {
      const hit = await rt.responseCache!.lookup(key)
      if (hit && servable(hit, ir)) {
        res.setHeader(CACHE_HEADER, 'hit')
        log.cacheHit = true
        rt.responseCache!.served(key, hit)
        return answerFromIR(rt, door, res, d, ir, hit.response, run)
      }
      if (hit) rt.responseCache!.unserved()
    }
    res.setHeader(CACHE_HEADER, 'miss')
  }

  // The upstream's own answer in the IR, before any response hook: what the cache keeps.
  let upstreamAnswer: IRResponse | undefined
  const raw: IRStreamEvent[] | undefined = key && d.stream ? [] : undefined
  const input: DeliveryInput = {
    ...d,
    resolution,
    model: d.model,
    ir,
    via: {
      run,
      rawEvents: raw,
      answer: key && !d.stream ? (r) => (upstreamAnswer = structuredClone(r)) : undefined,
    },
  }
  await deliver(rt, door, req, res, input)
  if (run?.retryReason !== undefined && !res.headersSent) {
    // A response hook (json-guard) asked for one more call: once, with every attempt kept on the log row.
    run.retryReason = undefined
    const first = log.attempts ?? []
    await deliver(rt, door, req, res, input)
    log.attempts = [...first, ...(log.attempts ?? [])]
  }
  if (!key || log.status !== 200 || log.errorKind) return
  if (raw) {
    const { response, error } = assembleResponse(raw)
    if (error || !raw.some((e) => e.type === 'finish')) return
    upstreamAnswer = response
  }
  if (upstreamAnswer)
    rt.responseCache!.store(key, { response: upstreamAnswer, maxTokens: ir.maxTokens, model: d.model, costUsd: rt.prices?.cost(log.upstreamModel ?? d.model, log.usage) ?? null }, ttlS)
}

/** x-rosetta-cache-ttl: seconds this answer is kept (0: not stored); undefined when absent or not a number. */
function requestedTtl(req: IncomingMessage): number | undefined {
  const v = req.headers[CACHE_TTL_HEADER]
  if (typeof v !== 'string' || !/^\d+$/.test(v.trim())) return undefined
  return Math.min(Number(v), MAX_TTL_S)
}

/**
 * Answers from an IR response with no upstream call (a cache hit, a plugin's own answer): through the
 * response hooks, in the client's dialect, as a stream of replayed events when it asked for one.
 */
async function answerFromIR(rt: GatewayRuntime, door: Door, res: ServerResponse, d: DeliveryInput, ir: IRRequest, answer: IRResponse, run: PluginRun | undefined): Promise<void> {
  const { log } = d
  const codec = CODECS[door.dialect]
  log.status = 200
  log.attempts = []
  if (!d.stream) {
    // An answer that did not come from the upstream cannot be asked for again.
    if (run) run.retryAllowed = false
    const final = run ? await run.onResponse(answer) : answer
    const out = JSON.stringify(codec.encodeResponse(final, d.model))
    sendJson(res, 200, out)
    log.bytesOut = Buffer.byteLength(out)
    log.ttfbMs = performance.now() - d.t0
    if (rt.logBodies) log.responseBody = { kind: 'text', text: out }
    return
  }
  const geminiArray = door.gemini !== undefined && !door.gemini.sse
  const encoder = codec.createStreamEncoder({ model: d.model, sse: !geminiArray, includeUsage: ir.includeUsage })
  const transform = run?.streamTransform()
  const sent: IRStreamEvent[] = []
  let out = ''
  for (const ev of responseToEvents(answer)) {
    for (const e of transform ? transform(ev) : [ev]) {
      sent.push(e)
      out += encoder.push(e)
      if (e.type === 'error') {
        log.errorKind = e.error.kind
        log.errorMessage = e.error.message
      }
    }
  }
  out += encoder.end()
  res.writeHead(200, geminiArray ? { ...STREAM_HEADERS, 'content-type': 'application/json; charset=utf-8' } : STREAM_HEADERS)
  res.end(out)
  log.bytesOut = Buffer.byteLength(out)
  log.ttfbMs = performance.now() - d.t0
  if (rt.logBodies) log.responseBody = { kind: 'events', events: sent, dialect: door.dialect, model: d.model }
}
