import { disable, enable, newKeyState, recordFailure, recordSuccess, restKey, restModel, type KeyState } from './key-state'
import { circuitFailure, circuitSuccess, claimProbe, closeCircuit, newCircuit, releaseProbe, type CircuitState } from './circuit'
import type { GatewayErrorKind } from '../errors'
import type { IRUsage } from '../ir'
import { entryOf } from '../../../shared/map-entry'

/**
 * Fast shared state behind a small interface: key rests and counters, concurrency, the circuits of
 * (provider, upstream model) pairs. Reads return live objects (the hot path reads them on every
 * request and must not wait); every change goes through a method here. That is the seam for a Redis
 * implementation: it keeps a local mirror for the reads and publishes the changes in the background
 * (as this one is persisted to DuckDB in batches), so no request ever waits on a network round trip.
 * Keys are identified by the hash of the key (stable across config reloads).
 */
export interface StateStore {
  key(keyHash: string): KeyState
  circuit(providerId: string, model: string): CircuitState
  /** The circuits of a provider's upstream models that have seen traffic (for the admin views). */
  circuits(providerId: string): Iterable<[string, CircuitState]>

  /**
   * Cluster mode: takes one of a capped key's `max` slots over every instance, atomically (false: all
   * taken). Called before `acquire` for keys with a max-concurrency only; a slot taken is given back
   * by `release`. Absent in one process, where the local count read by selectKey is exact.
   */
  claim?(keyHash: string, max: number): Promise<boolean>
  /** A request goes to this key now (concurrency and request counters). */
  acquire(keyHash: string): void
  release(keyHash: string): void
  /** A success: the key works for this model, the pair's circuit sees it. */
  succeeded(keyHash: string | undefined, providerId: string, model: string, now: number, usage: IRUsage | null): void
  /** Counts a failure on the key (never a rest: see restModel / restKey / disableKey). */
  keyFailed(keyHash: string, now: number, kind: GatewayErrorKind, message: string): void
  restModel(keyHash: string, model: string, now: number, retryAfterSec: number | undefined): void
  restKey(keyHash: string, now: number, retryAfterSec: number | undefined): void
  disableKey(keyHash: string, now: number, reason: string): void
  enableKey(keyHash: string): void
  /** A provider-level failure of the pair (5xx, overloaded, timeout, reset). */
  circuitFailed(providerId: string, model: string, now: number): void
  claimProbe(providerId: string, model: string, now: number): void
  releaseProbe(providerId: string, model: string): void
  /** Closes every circuit of the provider (an active health check passed). */
  providerUp(providerId: string): void

  /** Every key state changed since the last call (for batched persistence). */
  takeDirty(): Array<[string, KeyState]>
  keys(): IterableIterator<[string, KeyState]>
}

const NO_CIRCUITS: Map<string, CircuitState> = new Map()

export class MemoryStateStore implements StateStore {
  private readonly keyStates = new Map<string, KeyState>()
  /** provider → upstream model → circuit: two lookups, no key string built per request. */
  private readonly byProvider = new Map<string, Map<string, CircuitState>>()

  key(keyHash: string): KeyState {
    return entryOf(this.keyStates, keyHash, newKeyState)
  }

  circuit(providerId: string, model: string): CircuitState {
    return entryOf(entryOf(this.byProvider, providerId, () => new Map<string, CircuitState>()), model, newCircuit)
  }

  circuits(providerId: string): Iterable<[string, CircuitState]> {
    return (this.byProvider.get(providerId) ?? NO_CIRCUITS).entries()
  }

  acquire(keyHash: string): void {
    const s = this.key(keyHash)
    s.inFlight++
    s.requests++
  }

  release(keyHash: string): void {
    this.key(keyHash).inFlight--
  }

  succeeded(keyHash: string | undefined, providerId: string, model: string, now: number, usage: IRUsage | null): void {
    if (keyHash !== undefined) {
      const s = this.key(keyHash)
      recordSuccess(s, now, model)
      if (usage) {
        s.inputTokens += usage.inputTokens ?? 0
        s.outputTokens += usage.outputTokens ?? 0
      }
    }
    circuitSuccess(this.circuit(providerId, model), now)
  }

  keyFailed(keyHash: string, now: number, kind: GatewayErrorKind, message: string): void {
    recordFailure(this.key(keyHash), now, kind, message)
  }

  restModel(keyHash: string, model: string, now: number, retryAfterSec: number | undefined): void {
    restModel(this.key(keyHash), model, now, retryAfterSec)
  }

  restKey(keyHash: string, now: number, retryAfterSec: number | undefined): void {
    restKey(this.key(keyHash), now, retryAfterSec)
  }

  disableKey(keyHash: string, now: number, reason: string): void {
    disable(this.key(keyHash), now, reason)
  }

  enableKey(keyHash: string): void {
    enable(this.key(keyHash))
  }

  circuitFailed(providerId: string, model: string, now: number): void {
    circuitFailure(this.circuit(providerId, model), now)
  }

  claimProbe(providerId: string, model: string, now: number): void {
    claimProbe(this.circuit(providerId, model), now)
  }

  releaseProbe(providerId: string, model: string): void {
    releaseProbe(this.circuit(providerId, model))
  }

  providerUp(providerId: string): void {
    for (const c of this.byProvider.get(providerId)?.values() ?? []) closeCircuit(c)
  }

  takeDirty(): Array<[string, KeyState]> {
    const out: Array<[string, KeyState]> = []
    for (const e of this.keyStates) {
      if (e[1].dirty) {
        e[1].dirty = false
        out.push(e)
      }
    }
    return out
  }

  keys(): IterableIterator<[string, KeyState]> {
    return this.keyStates.entries()
  }
}
