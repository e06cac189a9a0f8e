/**
 * A circuit breaker per (provider, upstream model), opened only on evidence: at least
 * `minFailures` provider-level failures (5xx, overloaded, timeouts, resets) AND at least
 * `failureRatio` of the attempts failing, within the last `windowMs` (a ring of `buckets` time
 * slices, so old outcomes age out without timers). Open, the pair is passed over while any other
 * candidate is ready; after the cool-down one request goes through as a probe (half-open). Any
 * success closes it; a failure while half-open opens it again for twice as long, up to `maxCoolMs`.
 */
export const CIRCUIT = {
  windowMs: 30_000,
  buckets: 10,
  minFailures: 5,
  failureRatio: 0.5,
  coolMs: 15_000,
  maxCoolMs: 120_000,
}

const SLICE_MS = CIRCUIT.windowMs / CIRCUIT.buckets

export interface CircuitState {
  open: boolean
  openUntil: number
  /** How many times in a row the circuit opened (escalates the cool-down). */
  opens: number
  /** A probe is in flight (half-open): others keep away while another candidate is ready. */
  probing: boolean
  /** Per time slice of the window: its number (now / slice), its successes, its failures. */
  slice: number[]
  ok: number[]
  bad: number[]
}

export function newCircuit(): CircuitState {
  const n = CIRCUIT.buckets
  return { open: false, openUntil: 0, opens: 0, probing: false, slice: new Array<number>(n).fill(-Infinity), ok: new Array<number>(n).fill(0), bad: new Array<number>(n).fill(0) }
}

export type CircuitStatus = 'closed' | 'open' | 'half-open'

export function circuitStatus(c: CircuitState, now: number): CircuitStatus {
  if (!c.open) return 'closed'
  return c.openUntil > now ? 'open' : 'half-open'
}

/** When a request may go to this pair without panic: 0 = now (closed, or half-open with the probe free). */
export function circuitReadyAt(c: CircuitState, now: number): number {
  if (!c.open) return 0
  if (c.openUntil > now) return c.openUntil
  return c.probing ? now + 1 : 0
}

/** Claims the half-open probe slot (the request about to be sent is the probe). */
export function claimProbe(c: CircuitState, now: number): void {
  if (c.open && c.openUntil <= now) c.probing = true
}

function slot(c: CircuitState, now: number): number {
  const s = Math.floor(now / SLICE_MS)
  const i = s % CIRCUIT.buckets
  if (c.slice[i] !== s) {
    c.slice[i] = s
    c.ok[i] = 0
    c.bad[i] = 0
  }
  return i
}

/** Successes and failures within the window ending now. */
export function windowCounts(c: CircuitState, now: number): { ok: number; bad: number } {
  const s = Math.floor(now / SLICE_MS)
  let ok = 0
  let bad = 0
  for (let i = 0; i < CIRCUIT.buckets; i++) {
    if (c.slice[i]! > s - CIRCUIT.buckets) {
      ok += c.ok[i]!
      bad += c.bad[i]!
    }
  }
  return { ok, bad }
}

export function circuitSuccess(c: CircuitState, now: number): void {
  c.ok[slot(c, now)]!++
  if (c.open) closeCircuit(c)
}

/** Closes the circuit and forgets the window (a passing probe, or an active health check). */
export function closeCircuit(c: CircuitState): void {
  c.open = false
  c.opens = 0
  c.probing = false
  c.openUntil = 0
  c.slice.fill(-Infinity)
}

export function circuitFailure(c: CircuitState, now: number): void {
  c.bad[slot(c, now)]!++
  if (c.open) {
    // Failures while open come from panic traffic and change nothing; a failed probe reopens it for longer.
    if (c.openUntil <= now) {
      c.opens++
      c.openUntil = now + Math.min(CIRCUIT.coolMs * 2 ** (c.opens - 1), CIRCUIT.maxCoolMs)
      c.probing = false
    }
    return
  }
  const w = windowCounts(c, now)
  if (w.bad >= CIRCUIT.minFailures && w.bad >= CIRCUIT.failureRatio * (w.ok + w.bad)) {
    c.open = true
    c.opens = 1
    c.openUntil = now + CIRCUIT.coolMs
    c.probing = false
  }
}

/** The probe ended without a verdict (the client left, or its own request was at fault). */
export function releaseProbe(c: CircuitState): void {
  c.probing = false
}

/** A provider's circuit for the admin views: the worst of its upstream models' circuits. */
export function worstCircuit(store: { circuits(providerId: string): Iterable<[string, CircuitState]> }, providerId: string, now: number): CircuitStatus {
  let worst: CircuitStatus = 'closed'
  for (const [, c] of store.circuits(providerId)) {
    const st = circuitStatus(c, now)
    if (st === 'open') return 'open'
    if (st === 'half-open') worst = st
  }
  return worst
}
