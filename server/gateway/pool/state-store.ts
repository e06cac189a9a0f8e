import { newKeyState, type KeyState } from './key-state'
import { newCircuit, type CircuitState } from './circuit'

/**
 * Fast shared state behind a small interface: key cooldowns and counters, concurrency, provider
 * circuits. In memory here; a Redis implementation can replace it for several instances without
 * anything else changing. Keys are identified by the hash of the key (stable across config reloads).
 */
export interface StateStore {
  key(keyHash: string): KeyState
  circuit(providerId: string): CircuitState
  /** Every key state changed since the last call (for batched persistence). */
  takeDirty(): Array<[string, KeyState]>
  keys(): IterableIterator<[string, KeyState]>
}

export class MemoryStateStore implements StateStore {
  private readonly keyStates = new Map<string, KeyState>()
  private readonly circuits = new Map<string, CircuitState>()

  key(keyHash: string): KeyState {
    let s = this.keyStates.get(keyHash)
    if (!s) {
      s = newKeyState()
      this.keyStates.set(keyHash, s)
    }
    return s
  }

  circuit(providerId: string): CircuitState {
    let c = this.circuits.get(providerId)
    if (!c) {
      c = newCircuit()
      this.circuits.set(providerId, c)
    }
    return c
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
