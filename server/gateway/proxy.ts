import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { Door, GatewayRuntime } from './door'
import type { RequestLogEntry } from './log-entry'
import { GatewayError, invalidRequest } from './errors'
import { authenticate } from './routing/snapshot'
import { resolveModel } from './routing/resolve'
import { readBody, parseJsonBody } from './http/read-body'
import { clientKeyOf } from './http/client-key'
import { sendError } from './http/respond'
import { ClientCancelled, deliver, markCancelled } from './delivery'
import { modelNameProblem } from './model-name'
import { AttemptFailure } from './attempt'
import { ClientGone } from './http/client-gone'
import { warningsOf } from './http/warnings'
import { warningsLog } from './ir'
import { estimateAsk } from './limits/reservation-estimate'
import type { Ticket } from './limits/reservation'
import { logger } from '../utils/logger'
import { combineExtensions } from './extensions'
import { deliverExtended } from './extended-delivery'
import { PluginRun } from './plugins/run'

/**
 * Request ids: 32 hex characters, unique across restarts (a random boot prefix) and cheap (a counter,
 * no UUID per request). They are what the client sees as x-request-id and what finds the log row.
 */
const BOOT = randomBytes(8).toString('hex')
let seq = 0
function nextRequestId(): string {
  seq++
  return `req_${BOOT}${seq.toString(16).padStart(16, '0')}`
}

/** One public API call, from the client's bytes to the client's bytes. */
export async function handleProxy(rt: GatewayRuntime, door: Door, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const t0 = performance.now()
  const requestId = nextRequestId()
  res.setHeader('x-request-id', requestId)
  res.setHeader('request-id', requestId)
  // A request keeps the snapshot it started with, even if the configuration changes meanwhile.
  const snap = rt.snapshot()
  const log = newEntry(requestId, door, req)
  // The client going away aborts the upstream call (sendStream would not).
  const gone = new ClientGone(res)
  let ticket: Ticket | undefined
  let plugins: PluginRun | undefined
  try {
    const refused = rt.gate?.()
    if (refused) {
      // Read a refused request's body before answering: closing a connection with unread bytes
      // makes the kernel send a reset instead of our 503 (shutdown answers with connection: close).
      await readBody(req, rt.maxBodyBytes).catch(() => undefined)
      throw refused
    }
    const key = clientKeyOf(req, door.query)
    if (!key) throw new GatewayError('authentication', 'missing API key: send it as Authorization: Bearer, x-api-key, x-goog-api-key or ?key=')
    const ip = log.clientIp ?? 'unknown'
    const wait = rt.keyGuard?.blockedFor(ip)
    if (wait) throw new GatewayError('rate_limit', `too many invalid API keys from this address: try again in ${wait} s`, { retryAfter: wait })
    const who = authenticate(snap, key)
    if (!who) {
      rt.keyGuard?.fail(ip)
      throw new GatewayError('authentication', 'invalid API key')
    }
    log.clientKey = who.name
    const raw = await readBody(req, rt.maxBodyBytes)
    log.bytesIn = raw.length
    const body = parseJsonBody(raw)
    // The client's bytes, copied to a buffer of their own (the read may be a slice of the socket's):
    // parsing them again for the body log happens on the log encoder thread, not here.
    if (rt.logBodies) log.requestBody = new Uint8Array(raw)
    let model: string
    let stream: boolean
    if (door.gemini) {
      model = door.gemini.model
      stream = door.gemini.stream
    } else {
      if (typeof body.model !== 'string') throw invalidRequest('model: a model name is required', 'model')
      model = body.model
      stream = body.stream === true
    }
    // One rule at every door (model-name.ts): a bad name is the client's 400, before any upstream
    // or key is involved, so it never counts against a provider.
    const bad = modelNameProblem(model)
    if (bad) throw bad
    log.model = model
    log.stream = stream
    if (who.allow && !who.allow.some((re) => re.test(model))) throw new GatewayError('permission', `this API key may not use model '${model}'`)
    const resolution = resolveModel(snap, model, door.forcedProvider)
    if (!resolution)
      throw new GatewayError(
        'not_found',
        door.forcedProvider !== undefined
          ? `provider '${door.forcedProvider}' does not exist or is disabled`
          : `model '${model}' is not served here: no model entry, route or default provider matches it`,
      )
    log.route = resolution.rule
    // Admission after routing: the reservation is priced with the upstream models the request may reach.
    const admission = rt.admit?.(who, () => estimateAsk(door, body, raw.length, resolution.targets.map((t) => t.model), rt.prices))
    // A promise only with a shared (Redis) usage store: the one round trip that keeps limits exact across instances.
    const admitted = admission instanceof Promise ? await admission : admission
    if (GatewayError.is(admitted)) throw admitted
    ticket = admitted
    const input = { resolution, body, raw, model, stream, signal: gone, t0, log }
    // Response cache and plugins (issue 19): only for requests whose entry or key declares them; the
    // test is two field reads, so every other request goes on exactly as before.
    const ext = resolution.ext || who.ext ? combineExtensions(resolution.ext, who.ext) : undefined
    if (ext && !door.op) {
      if (ext.plugins && rt.plugins) plugins = new PluginRun(rt.plugins, ext.plugins, { requestId, dialect: door.dialect, model, clientKey: who.name })
      await deliverExtended(rt, door, req, res, input, ext, snap, plugins)
    } else await deliver(rt, door, req, res, input)
  } catch (e) {
    // A client that left is nobody's failure: nothing to answer, logged as cancelled.
    if (e instanceof ClientCancelled || gone.aborted) {
      markCancelled(log)
      if (!res.writableEnded) res.end()
    } else fail(res, door, e, log, rt.logBodies === true)
  } finally {
    log.latencyMs = performance.now() - t0
    if (!log.status) log.status = res.statusCode
    log.warnings = warningsLog(warningsOf(res))
    if (plugins?.logNotes.length) log.warnings = [log.warnings, ...plugins.logNotes].filter(Boolean).join('\n')
    if (log.errorKind !== null || log.status >= 400) log.errorId = requestId
    if (rt.prices && log.usage) log.costUsd = rt.prices.cost(log.upstreamModel ?? log.model, log.usage)
    // Exactly once, whether the request succeeded, failed or the client went away.
    if (ticket) rt.settle?.(ticket, { tokens: log.usage ? log.usage.inputTokens + log.usage.outputTokens : 0, usd: log.costUsd ?? 0 })
    rt.log.push(log)
    plugins?.onLog(log)
  }
}

/** The error that ended the request, in the client's dialect (or its own vendor's words, unchanged). */
function fail(res: ServerResponse, door: Door, e: unknown, log: RequestLogEntry, capture: boolean): void {
  const f = e instanceof AttemptFailure ? e : undefined
  let err = f ? f.error : e
  // A pathologically nested body (e.g. a 10k-deep tool schema) can overflow the stack while it is
  // converted: that is the client's request, not our failure.
  const root = GatewayError.is(err) && err.kind === 'internal' ? err.cause : err
  if (root instanceof RangeError && /call stack/i.test(root.message)) err = invalidRequest('the request is nested too deeply to convert')
  if (f?.raw && !res.headersSent) {
    // Same dialect: the vendor's own error body goes back as it was written.
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (f.raw.retryAfter) headers['retry-after'] = f.raw.retryAfter
    res.writeHead(f.raw.status, headers)
    res.end(f.raw.body)
    if (capture) log.responseBody = { kind: 'text', text: f.raw.body }
  } else {
    sendError(res, door.dialect, err)
  }
  const ge = GatewayError.is(err) ? err : undefined
  if (capture && !f?.raw) log.responseBody = { kind: 'error', error: ge ?? new GatewayError('internal', 'internal error'), dialect: door.dialect }
  log.status = res.statusCode
  log.errorKind = ge?.kind ?? 'internal'
  log.errorMessage = ge?.message ?? 'internal error'
  if (!ge || ge.kind === 'internal')
    logger.error('internal error', { errorId: log.requestId, requestId: log.requestId, error: e })
}

function newEntry(requestId: string, door: Door, req: IncomingMessage): RequestLogEntry {
  return {
    ts: new Date(),
    requestId,
    clientKey: null,
    dialect: door.dialect,
    upstreamDialect: null,
    model: door.gemini?.model ?? null,
    providerId: null,
    upstreamModel: null,
    route: null,
    keyId: null,
    stream: door.gemini?.stream ?? false,
    status: 0,
    errorKind: null,
    errorMessage: null,
    latencyMs: 0,
    ttfbMs: null,
    usage: null,
    bytesIn: 0,
    bytesOut: 0,
    clientIp: req.socket.remoteAddress ?? null,
    userAgent: (req.headers['user-agent'] as string | undefined) ?? null,
    operation: door.op ?? 'chat',
    errorId: null,
    upstreamLatencyMs: null,
    costUsd: null,
    sessionId: (req.headers['x-claude-code-session-id'] as string | undefined) ?? null,
  }
}
