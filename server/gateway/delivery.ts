import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Door, GatewayRuntime } from './door'
import type { IRRequest } from './ir'
import type { AttemptRecord, RequestLogEntry } from './log-entry'
import type { Resolution } from './routing/resolve'
import { missingCapabilities } from './routing/resolve'
import { CODECS } from './registry'
import { GatewayError } from './errors'
import { attempt, AttemptFailure, type AttemptResult, type ViaIR } from './attempt'
import { nextMove, policyFor } from './pool/policy'
import { circuitRefusal, concurrencyRefusal, DEMOTED, DONE, KEY_SPACE, nextCandidate, type CandidateView } from './pool/next-candidate'
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
  /** Already decoded (and possibly changed by plugins): extended-delivery.ts. */
  ir?: IRRequest
  /** The answer goes through the IR, plugins and the response cache (extended-delivery.ts). */
  via?: ViaIR
}

/** The client went away before its answer was complete: logged as `cancelled`, nobody's failure. */
export class ClientCancelled extends Error {
  constructor() {
    super('the client closed the connection before the answer was complete')
  }
}

/** Marks the log entry of a request the client abandoned (499, nginx's "client closed request"). */
export function markCancelled(log: RequestLogEntry): void {
  log.status = 499
  log.errorKind = 'cancelled'
  log.errorMessage = 'the client closed the connection before the answer was complete'
}

/**
 * Delivers one request: a thin loop around the decisions in `pool/` — `nextCandidate` (send, wait,
 * refuse or give up), `policyFor` (what a failure means for the key and the circuit) and `nextMove`
 * (what the request tries next) — within the attempt budget and the deadline. Returns when the
 * client has its answer, or throws the error that ended the attempts.
 */
export async function deliver(rt: GatewayRuntime, door: Door, req: IncomingMessage, res: ServerResponse, d: DeliveryInput): Promise<void> {
  const { log, signal } = d
  const attempts: AttemptRecord[] = (log.attempts = [])
  const deadline = Date.now() + rt.delivery.deadlineMs
  const targets = d.resolution.targets
  // Chat is attempt.ts; other operations (embeddings, token counting) bring their own attempt.
  const op = door.op ? OPERATIONS[door.op] : undefined
  let ir: IRRequest | undefined = d.ir
  let needs: string[] | undefined
  let marks: Uint8Array | undefined
  let refusal: GatewayError | undefined
  let skipped = 0

  // Targets that cannot take this request at all are done before anything is tried.
  for (let ti = 0; ti < targets.length; ti++) {
    const target = targets[ti]!
    if (op) {
      const no = op.refuse(target)
      if (no) {
        refusal ??= no
        marks = mark(marks, targets.length, ti, DONE)
      }
    } else if (target.capabilities) {
      ir ??= CODECS[door.dialect].decodeRequest(d.body, { model: d.model, stream: d.stream })
      needs ??= requestNeeds(ir)
      if (missingCapabilities(target, needs).length) {
        skipped++
        marks = mark(marks, targets.length, ti, DONE)
      }
    }
  }

  const tried = new Set<number>()
  const view: CandidateView = { targets, marks, tried, store: rt.state, now: 0, maxWaitMs: 0, model: d.model, keyless: op ? (t) => op.local(t) : undefined }
  let lastFailure: AttemptFailure | undefined
  let prepared: { ti: number; state: unknown } | undefined
  /** A capped key was found full in Redis (cluster mode): nothing else left means a concurrency 429. */
  let full = false
  for (;;) {
    const now = Date.now()
    if (attempts.length >= rt.delivery.maxAttempts || now > deadline) break
    view.marks = marks
    view.now = now
    view.maxWaitMs = Math.min(rt.delivery.retryWaitMaxMs, deadline - now)
    const step = nextCandidate(view)
    if (step.kind === 'exhausted') break
    if (step.kind === 'refuse') {
      if (lastFailure) throw lastFailure
      throw new AttemptFailure(step.error)
    }
    if (step.kind === 'wait') {
      // The upstream asked for a pause we can afford: wait, then decide again (before any byte is sent).
      await pause(step.ms, signal)
      if (signal.aborted) throw new ClientCancelled()
      continue
    }
    const { ti, key } = step
    const target = targets[ti]!
    const p = target.provider
    if (!op && (door.dialect !== p.transport.dialectFor(target.model, door.dialect) || d.via)) ir ??= CODECS[door.dialect].decodeRequest(d.body, { model: d.model, stream: d.stream })
    if (op?.prepare && prepared?.ti !== ti) {
      // Work before a key is taken (the embeddings cache): a full answer needs no key and no upstream call.
      const pr = await op.prepare(rt, door, res, { target, body: d.body, model: d.model, t0: d.t0 })
      if (pr.answered) {
        settle(log, door, target, null, pr.answered)
        log.cacheHit = true
        return
      }
      prepared = { ti, state: pr.state }
    }
    // Cluster mode: a capped key's slot is taken in Redis, exact over the instances. The local count
    // chose the key, but another instance may have taken its last slot meanwhile: then another key.
    if (key && key.maxConcurrency !== null && rt.state.claim && !(await rt.state.claim(key.hash, key.maxConcurrency))) {
      tried.add(ti * KEY_SPACE + key.id)
      full = true
      continue
    }
    const probe = !step.panic && rt.state.circuit(p.id, target.model).open
    if (probe) rt.state.claimProbe(p.id, target.model, now)
    tried.add(ti * KEY_SPACE + (key?.id ?? 0))
    const started = performance.now()
    const rec: AttemptRecord = { provider: p.id, model: target.model, keyId: key?.id ?? null, status: 0, errorKind: null, latencyMs: 0 }
    attempts.push(rec)
    if (key) rt.state.acquire(key.hash)
    try {
      const input = { target, key, body: d.body, raw: d.raw, ir, model: d.model, stream: d.stream, signal, t0: d.t0, captureBodies: rt.logBodies, prepared: prepared?.state, via: d.via }
      const r = await (op ? op.run : attempt)(rt, door, req, res, input)
      rec.status = r.status
      rec.latencyMs = performance.now() - started
      settle(log, door, target, key?.id ?? null, r)
      const now2 = Date.now()
      if (r.cancelled) {
        // The client left mid-stream: not the key's, the model's or the provider's failure.
        if (probe) rt.state.releaseProbe(p.id, target.model)
        markCancelled(log)
      } else if (r.error?.local) {
        // A plugin refused the answer: the upstream did its part.
        log.errorKind = r.error.kind
        log.errorMessage = r.error.message
        rt.state.succeeded(key?.hash, p.id, target.model, now2, r.usage)
      } else if (r.error) {
        // Broke off after the first byte: reported in-band already; the upstream is held to it.
        rec.errorKind = r.error.kind
        log.errorKind = r.error.kind
        log.errorMessage = r.error.message
        const kind = r.error.kind as GatewayError['kind']
        if (key) rt.state.keyFailed(key.hash, now2, kind, r.error.message)
        if (policyFor(kind).circuit) rt.state.circuitFailed(p.id, target.model, now2)
        else if (probe) rt.state.releaseProbe(p.id, target.model)
      } else {
        rt.state.succeeded(key?.hash, p.id, target.model, now2, r.usage)
      }
      return
    } catch (e) {
      if (probe) rt.state.releaseProbe(p.id, target.model)
      if (signal.aborted) {
        // The client left: nobody to retry for, nobody to blame (no error kind on the attempt either).
        rec.status = 499
        rec.latencyMs = performance.now() - started
        throw new ClientCancelled()
      }
      const f = e instanceof AttemptFailure ? e : new AttemptFailure(GatewayError.is(e) ? e : new GatewayError('internal', 'internal error', { cause: e }))
      const err = f.error
      rec.status = err.upstreamStatus ?? err.status
      rec.errorKind = err.kind
      rec.latencyMs = performance.now() - started
      log.providerId = p.id
      log.upstreamDialect = p.transport.dialectFor(target.model, door.dialect)
      log.upstreamModel = target.model
      log.keyId = key?.id ?? null
      log.upstreamLatencyMs = f.upstreamMs ?? null
      lastFailure = f
      applyFailure(rt, err, key?.hash, p.id, target.model)
      if (res.headersSent) throw f
      const move = nextMove(err.kind, err.retryAfter !== undefined)
      if (move === 'stop') throw f
      // A keyless target gets one try; a key's retry-after is its rest, which nextCandidate waits out.
      if (!key || move === 'other-target') marks = mark(marks, targets.length, ti, DONE)
      else if (move === 'wait-same') tried.delete(ti * KEY_SPACE + key.id)
      else if (move === 'other-target-first') marks = mark(marks, targets.length, ti, DEMOTED)
    } finally {
      if (key) rt.state.release(key.hash)
    }
  }
  if (lastFailure) throw lastFailure
  if (full) throw new AttemptFailure(concurrencyRefusal(d.model))
  view.now = Date.now()
  const circuit = circuitRefusal(view)
  if (circuit) throw new AttemptFailure(circuit)
  if (refusal) throw new AttemptFailure(refusal)
  if (skipped > 0)
    throw new AttemptFailure(new GatewayError('unsupported', `no target for '${d.model}' can take this request (it needs ${needs?.join(', ')})`))
  throw new AttemptFailure(new GatewayError('unavailable', `no provider could take the request for '${d.model}'`))
}

/** Marks a target for the rest of the request (the marks exist only once a target needs one). */
function mark(marks: Uint8Array | undefined, n: number, ti: number, m: number): Uint8Array {
  const out = marks ?? new Uint8Array(n)
  if (m > out[ti]!) out[ti] = m
  return out
}

/** What a failed attempt does to the pool: the key's rest or disablement, the pair's circuit. */
function applyFailure(rt: GatewayRuntime, err: GatewayError, keyHash: string | undefined, provider: string, model: string): void {
  const pol = policyFor(err.kind)
  const now = Date.now()
  if (keyHash !== undefined) {
    rt.state.keyFailed(keyHash, now, err.kind, err.message)
    if (pol.key === 'rest-model') rt.state.restModel(keyHash, model, now, err.retryAfter)
    else if (pol.key === 'rest-key') rt.state.restKey(keyHash, now, err.retryAfter)
    else if (pol.key === 'disable') rt.state.disableKey(keyHash, now, `${err.kind}: ${err.message}`.slice(0, 300))
  }
  if (pol.circuit) rt.state.circuitFailed(provider, model, now)
}

function settle(log: RequestLogEntry, door: Door, target: Resolution['targets'][number], keyId: number | null, r: AttemptResult): void {
  log.providerId = target.provider.id
  log.upstreamDialect = target.provider.transport.dialectFor(target.model, door.dialect)
  log.upstreamModel = target.model
  log.keyId = keyId
  log.status = r.status
  log.usage = r.usage
  log.bytesOut = r.bytesOut
  log.ttfbMs = r.ttfbMs
  if (r.estimated) log.tokensEstimated = true
  if (r.unparseable) log.unparseableChunks = r.unparseable
  log.upstreamLatencyMs = r.upstreamMs ?? null
  if (r.body) log.responseBody = r.body
}

/** Waits `ms`, or less if the client leaves meanwhile. */
function pause(ms: number, signal: ClientGone): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal.off('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.once('abort', done)
  })
}
