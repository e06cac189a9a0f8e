import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Door, GatewayRuntime } from './door'
import type { IRRequest } from './ir'
import type { AttemptRecord, RequestLogEntry } from './log-entry'
import type { Resolution } from './routing/resolve'
import { missingCapabilities } from './routing/resolve'
import { CODECS } from './registry'
import { GatewayError } from './errors'
import { attempt, AttemptFailure } from './attempt'
import { policyFor } from './pool/policy'
import { selectKey } from './pool/select-key'
import { disable, keyStatus, recordFailure, recordSuccess, rest } from './pool/key-state'
import { admit, circuitFailure, circuitSuccess } from './pool/circuit'
import { requestNeeds } from './needs'
import type { ClientGone } from './http/client-gone'
import { OPERATIONS } from './operations'

export interface DeliveryInput {
  resolution: Resolution
  body: Record<string, unknown>
  raw: Buffer
  model: string
  stream: boolean
  signal: ClientGone
  t0: number
  log: RequestLogEntry
}

/**
 * Delivers one request: on a retryable failure before the first byte, another key of the same
 * provider, then the next target and the fallbacks, within the attempt budget and deadline. A bad
 * request goes back at once and is never held against a key. Returns when the client has its answer
 * (or the error that ended the attempts has been thrown).
 */
export async function deliver(rt: GatewayRuntime, door: Door, req: IncomingMessage, res: ServerResponse, d: DeliveryInput): Promise<void> {
  const { log } = d
  const attempts: AttemptRecord[] = (log.attempts = [])
  const deadline = Date.now() + rt.delivery.deadlineMs
  let ir: IRRequest | undefined
  let needs: string[] | undefined
  let lastFailure: AttemptFailure | undefined
  let soonest = Infinity
  let skipped = 0
  let busy = false
  // Chat is attempt.ts; other operations (embeddings, token counting) bring their own attempt.
  const op = door.op ? OPERATIONS[door.op] : undefined
  let refusal: GatewayError | undefined

  const list = d.resolution.targets
  targets: for (let ti = 0; ti < list.length; ti++) {
    const target = list[ti]!
    const p = target.provider
    const lastTarget = ti === list.length - 1
    if (op) {
      const no = op.refuse(target)
      if (no) {
        refusal ??= no
        continue
      }
    } else if (target.capabilities) {
      ir ??= CODECS[door.dialect].decodeRequest(d.body, { model: d.model, stream: d.stream })
      needs ??= requestNeeds(ir)
      const missing = missingCapabilities(target, needs)
      if (missing.length) {
        skipped++
        continue
      }
    }
    const circuit = rt.state.circuit(p.id)
    if (!admit(circuit, Date.now())) {
      soonest = Math.min(soonest, circuit.openUntil)
      continue
    }
    if (!op && door.dialect !== p.dialect) ir ??= CODECS[door.dialect].decodeRequest(d.body, { model: d.model, stream: d.stream })
    const tried = new Set<number>()
    let here = 0
    for (;;) {
      if (attempts.length >= rt.delivery.maxAttempts || Date.now() > deadline) break targets
      const now = Date.now()
      const local = op?.local(target) === true
      const key = local ? undefined : selectKey(p, rt.state, tried, now)
      if (!key && p.keys.length > 0 && !local) {
        for (const k of p.keys) {
          if (tried.has(k.id)) continue
          const s = rt.state.key(k.hash)
          const st = keyStatus(s, now)
          if (st === 'resting') soonest = Math.min(soonest, s.restUntil)
          else if (st === 'active') busy = true // usable but at its concurrency cap
        }
        if (circuit.probing) circuit.probing = false
        continue targets
      }
      if (!key && here > 0) continue targets // a keyless provider gets one try
      here++
      if (key) tried.add(key.id)
      const ks = key ? rt.state.key(key.hash) : undefined
      const started = performance.now()
      const rec: AttemptRecord = { provider: p.id, model: target.model, keyId: key?.id ?? null, status: 0, errorKind: null, latencyMs: 0 }
      attempts.push(rec)
      log.providerId = p.id
      log.upstreamDialect = p.dialect
      log.upstreamModel = target.model
      log.keyId = key?.id ?? null
      if (ks) {
        ks.inFlight++
        ks.requests++
      }
      try {
        const r = await (op ? op.run : attempt)(rt, door, req, res, { target, key, body: d.body, raw: d.raw, ir, model: d.model, stream: d.stream, signal: d.signal, t0: d.t0, captureBodies: rt.logBodies })
        rec.status = r.status
        rec.latencyMs = performance.now() - started
        log.status = r.status
        log.usage = r.usage
        log.bytesOut = r.bytesOut
        log.ttfbMs = r.ttfbMs
        if (r.estimated) log.tokensEstimated = true
        log.upstreamLatencyMs = r.upstreamMs ?? null
        if (r.body) log.responseBody = r.body
        const now2 = Date.now()
        if (r.error) {
          // Broke off after the first byte: reported in-band already; the provider is held to it.
          rec.errorKind = r.error.kind
          log.errorKind = r.error.kind
          log.errorMessage = r.error.message
          if (ks) recordFailure(ks, now2, r.error.kind as GatewayError['kind'], r.error.message)
          if (r.error.kind !== 'connection' || !d.signal.aborted) circuitFailure(circuit, now2)
        } else {
          if (ks) {
            recordSuccess(ks, now2)
            ks.inputTokens += r.usage?.inputTokens ?? 0
            ks.outputTokens += r.usage?.outputTokens ?? 0
          }
          circuitSuccess(circuit)
        }
        return
      } catch (e) {
        const f = e instanceof AttemptFailure ? e : new AttemptFailure(GatewayError.is(e) ? e : new GatewayError('internal', 'internal error', { cause: e }))
        const err = f.error
        rec.status = err.upstreamStatus ?? err.status
        rec.errorKind = err.kind
        rec.latencyMs = performance.now() - started
        log.upstreamLatencyMs = f.upstreamMs ?? null
        lastFailure = f
        if (d.signal.aborted) throw f // the client left: nobody to retry for
        const pol = policyFor(err.kind)
        const now2 = Date.now()
        if (ks) {
          recordFailure(ks, now2, err.kind, err.message)
          if (pol.key === 'rest' || pol.key === 'rest-long') rest(ks, now2, err.retryAfter, pol.key === 'rest-long')
          else if (pol.key === 'disable') disable(ks, now2, `${err.kind}: ${err.message}`.slice(0, 300))
        }
        if (pol.provider) circuitFailure(circuit, now2)
        else if (circuit.probing) circuit.probing = false
        if (res.headersSent) throw f
        if (!pol.tryOtherKey && !pol.tryOtherTarget) throw f
        // A key-level failure tries the provider's other keys; a provider-level one moves on to the
        // next target first (its other keys share the outage) and retries here only as a last resort.
        if (!pol.tryOtherKey || (pol.provider && !lastTarget)) continue targets
      } finally {
        if (ks) ks.inFlight--
      }
    }
  }
  if (lastFailure) throw lastFailure
  if (refusal) throw new AttemptFailure(refusal)
  if (busy)
    throw new AttemptFailure(new GatewayError('rate_limit', `every usable key for '${d.model}' is at its concurrency limit; retry shortly`, { retryAfter: 1 }))
  if (soonest !== Infinity) {
    const secs = Math.max(1, Math.ceil((soonest - Date.now()) / 1000))
    throw new AttemptFailure(new GatewayError('rate_limit', `every key and provider for '${d.model}' is resting; retry in ${secs} s`, { retryAfter: secs }))
  }
  if (skipped > 0)
    throw new AttemptFailure(new GatewayError('unsupported', `no target for '${d.model}' can take this request (it needs ${needs?.join(', ')})`))
  throw new AttemptFailure(new GatewayError('unavailable', `no provider could take the request for '${d.model}'`))
}
