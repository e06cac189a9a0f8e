/**
 * Circuit breaking per provider: after `threshold` consecutive provider-level failures (5xx,
 * overloaded, timeouts, resets) traffic goes to the other targets; after a cool-down one request is
 * let through as a probe (half-open). Its success closes the circuit; its failure opens it again for
 * longer.
 */
export interface CircuitState {
  failures: number
  openUntil: number
  /** How many times in a row the circuit opened (escalates the cool-down). */
  opens: number
  /** A probe is in flight (half-open): others keep away until it answers. */
  probing: boolean
}

export const CIRCUIT = { threshold: 5, coolMs: 15_000, maxCoolMs: 5 * 60_000 }

export function newCircuit(): CircuitState {
  return { failures: 0, openUntil: 0, opens: 0, probing: false }
}

export type CircuitStatus = 'closed' | 'open' | 'half-open'

export function circuitStatus(c: CircuitState, now: number): CircuitStatus {
  if (c.opens === 0 || c.failures < CIRCUIT.threshold) return 'closed'
  return c.openUntil > now ? 'open' : 'half-open'
}

/** May a request go to this provider now? Claims the probe slot when half-open. */
export function admit(c: CircuitState, now: number): boolean {
  const st = circuitStatus(c, now)
  if (st === 'closed') return true
  if (st === 'open' || c.probing) return false
  c.probing = true
  return true
}

export function circuitSuccess(c: CircuitState): void {
  c.failures = 0
  c.opens = 0
  c.probing = false
  c.openUntil = 0
}

export function circuitFailure(c: CircuitState, now: number): void {
  c.failures++
  c.probing = false
  if (c.failures >= CIRCUIT.threshold) {
    c.opens++
    c.openUntil = now + Math.min(CIRCUIT.coolMs * 2 ** (c.opens - 1), CIRCUIT.maxCoolMs)
  }
}
