import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import type { Door, GatewayRuntime } from './door'
import type { IRRequest, DialectName } from './ir'
import type { RequestLogEntry } from './log-entry'
import { CODECS } from './registry'
import { GatewayError, invalidRequest } from './errors'
import { authenticate } from './routing/snapshot'
import { resolveModel, nextKey, type ResolvedTarget } from './routing/resolve'
import { readBody, parseJsonBody } from './http/read-body'
import { clientKeyOf } from './http/client-key'
import { sendError, sendJson } from './http/respond'
import { callUpstream } from './upstream/client'
import { upstreamHeaders } from './upstream/auth-headers'
import { convertStream, pipeStream, STREAM_HEADERS, type RelayStats } from './http/relay'

/** Headers a same-family client sends that its upstream must still see. */
const FORWARDED: Partial<Record<DialectName, string[]>> = {
  anthropic: ['anthropic-version', 'anthropic-beta'],
}

/** One public API call, from the client's bytes to the client's bytes. */
export async function handleProxy(rt: GatewayRuntime, door: Door, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const t0 = performance.now()
  const requestId = `req_${randomUUID().replaceAll('-', '')}`
  res.setHeader('x-request-id', requestId)
  res.setHeader('request-id', requestId)
  const snap = rt.snapshot()
  const log: RequestLogEntry = {
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
  }
  // The client going away aborts the upstream call (sendStream would not).
  const ac = new AbortController()
  res.once('close', () => {
    if (!res.writableFinished) ac.abort()
  })
  try {
    const key = clientKeyOf(req, url.searchParams)
    if (!key) throw new GatewayError('authentication', 'missing API key: send it as Authorization: Bearer, x-api-key, x-goog-api-key or ?key=')
    const who = authenticate(snap, key)
    if (!who) throw new GatewayError('authentication', 'invalid API key')
    log.clientKey = who.name
    const raw = await readBody(req, rt.maxBodyBytes)
    log.bytesIn = raw.length
    const body = parseJsonBody(raw)
    let model: string
    let stream: boolean
    if (door.gemini) {
      model = door.gemini.model
      stream = door.gemini.stream
    } else {
      if (typeof body.model !== 'string' || body.model === '') throw invalidRequest('model: a model name is required', 'model')
      model = body.model
      stream = body.stream === true
    }
    log.model = model
    log.stream = stream
    if (who.allow && !who.allow.some((re) => re.test(model)))
      throw new GatewayError('permission', `this API key may not use model '${model}'`)
    const resolution = resolveModel(snap, model, door.forcedProvider)
    if (!resolution)
      throw new GatewayError(
        'not_found',
        door.forcedProvider !== undefined
          ? `provider '${door.forcedProvider}' does not exist or is disabled`
          : `model '${model}' is not served here: no model entry, route or default provider matches it`,
      )
    log.route = resolution.rule
    let ir: IRRequest | undefined
    let lastErr: unknown
    for (let i = 0; i < resolution.targets.length; i++) {
      const target = resolution.targets[i]!
      const more = i < resolution.targets.length - 1
      try {
        if (door.dialect !== target.provider.dialect) ir ??= CODECS[door.dialect].decodeRequest(body, { model, stream })
        await attempt(rt, door, req, res, { target, body, raw, ir, model, stream, signal: ac.signal, t0, log })
        return
      } catch (e) {
        lastErr = e
        // Before the first byte a retryable failure may still go to the next target.
        if (res.headersSent || !more || !GatewayError.is(e) || !e.retryable) throw e
      }
    }
    throw lastErr
  } catch (e) {
    const ge = sendError(res, door.dialect, e)
    log.status = res.statusCode
    log.errorKind = ge.kind
    log.errorMessage = ge.message
    if (ge.kind === 'internal') console.error(JSON.stringify({ level: 'error', requestId, msg: 'internal error', error: String((e as Error)?.stack ?? e) }))
  } finally {
    log.latencyMs = performance.now() - t0
    if (!log.status) log.status = res.statusCode
    rt.log.push(log)
  }
}

interface AttemptInput {
  target: ResolvedTarget
  body: Record<string, unknown>
  raw: Buffer
  ir: IRRequest | undefined
  model: string
  stream: boolean
  signal: AbortSignal
  t0: number
  log: RequestLogEntry
}

async function attempt(rt: GatewayRuntime, door: Door, req: IncomingMessage, res: ServerResponse, a: AttemptInput): Promise<void> {
  const { target, log } = a
  const p = target.provider
  const up = p.dialect
  const same = up === door.dialect
  const clientCodec = CODECS[door.dialect]
  const upCodec = CODECS[up]
  log.providerId = p.id
  log.upstreamDialect = up
  log.upstreamModel = target.model

  let path: string
  let payload: string | Buffer
  let extra: Record<string, string> | undefined
  if (same) {
    // Same dialect: the client's bytes, untouched but for the model name.
    if (up === 'gemini') {
      path = `models/${encodeURIComponent(target.model)}:${a.stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`
      payload = a.raw
    } else {
      path = up === 'anthropic' ? 'messages' : 'chat/completions'
      payload = a.body.model === target.model ? a.raw : JSON.stringify({ ...a.body, model: target.model })
    }
    for (const h of FORWARDED[up] ?? []) {
      const v = req.headers[h]
      if (typeof v === 'string') (extra ??= {})[h] = v
    }
  } else {
    const ir = a.ir!
    const upReq: IRRequest = { ...ir, model: target.model, extras: ir.extras?.[up] ? { [up]: ir.extras[up] } : undefined }
    rt.signatures.restore(upReq.messages)
    const enc = upCodec.encodeRequest(upReq)
    path = enc.path
    payload = JSON.stringify(enc.body)
    extra = enc.headers
  }

  const key = nextKey(p)
  log.keyId = key?.id ?? null
  const upRes = await callUpstream(
    { url: new URL(path, p.baseUrl), headers: upstreamHeaders(p, key, extra), body: payload, signal: a.signal, timeoutMs: p.timeoutMs, stream: a.stream },
    p.id,
  )

  if (upRes.statusCode >= 400) {
    const text = await upRes.body.text()
    const err = upCodec.decodeError(upRes.statusCode, text, upRes.headers)
    if (same && !err.retryable) {
      // The client's own vendor said it: pass its error through as it was written.
      log.status = upRes.statusCode
      log.errorKind = err.kind
      log.errorMessage = err.message
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      const ra = upRes.headers['retry-after']
      if (typeof ra === 'string') headers['retry-after'] = ra
      res.writeHead(upRes.statusCode, headers)
      res.end(text)
      return
    }
    throw err
  }

  let stats: RelayStats
  if (!a.stream) {
    const text = await upRes.body.text()
    log.ttfbMs = performance.now() - a.t0
    let decoded
    try {
      decoded = upCodec.decodeResponse(JSON.parse(text))
    } catch (e) {
      if (!same) throw new GatewayError('upstream_error', `upstream '${p.id}' sent an unreadable response: ${(e as Error).message}`, { provider: p.id })
    }
    if (same) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
      res.end(text)
      stats = { usage: decoded?.usage ?? null, bytesOut: Buffer.byteLength(text), ttfbMs: log.ttfbMs }
    } else {
      rt.signatures.remember(decoded!.parts)
      const out = clientCodec.encodeResponse(decoded!, a.model)
      sendJson(res, 200, out)
      stats = { usage: decoded!.usage, bytesOut: 0, ttfbMs: log.ttfbMs }
    }
  } else {
    const geminiArray = door.gemini !== undefined && !door.gemini.sse
    if (same && !geminiArray) {
      stats = await pipeStream(upRes.body, res, upCodec, clientCodec, a.t0, p.id, a.model)
    } else {
      const encoder = clientCodec.createStreamEncoder({ model: a.model, sse: !geminiArray, includeUsage: a.ir?.includeUsage })
      const ct = geminiArray ? { ...STREAM_HEADERS, 'content-type': 'application/json; charset=utf-8' } : STREAM_HEADERS
      const callIds = new Map<number, string>()
      stats = await convertStream(upRes.body, res, upCodec, encoder, ct, a.t0, p.id, (ev) => {
        if (ev.type === 'tool-call-start') callIds.set(ev.index, ev.id)
        else if (ev.type === 'tool-call-end' && ev.signature) rt.signatures.put(callIds.get(ev.index) ?? '', ev.signature)
      })
    }
  }
  log.status = 200
  log.usage = stats.usage
  log.bytesOut = stats.bytesOut
  log.ttfbMs = stats.ttfbMs
  if (stats.error) {
    log.errorKind = stats.error.kind
    log.errorMessage = stats.error.message
  }
}
