import type { IRPart, Signature } from './ir'

/**
 * Where no client field can carry a vendor's tool-call signature back (an Anthropic tool_use has
 * none), it waits here, keyed by tool-call id, until the client sends the turn back. Bounded in size
 * and time: a missing entry only means Gemini gets its documented "skip validation" placeholder.
 */
export class SignatureCache {
  private map = new Map<string, { sig: Signature; at: number }>()
  /** Cluster mode: each entry is published, so the turn that brings the call back may land on any instance. */
  onPut: ((id: string, sig: Signature) => void) | undefined

  constructor(
    private readonly maxEntries = 50_000,
    private readonly ttlMs = 6 * 3600_000,
  ) {}

  remember(parts: readonly IRPart[]): void {
    for (const p of parts) if (p.type === 'tool-call' && p.signature) this.put(p.id, p.signature)
  }

  put(id: string, sig: Signature): void {
    this.keep(id, sig)
    this.onPut?.(id, sig)
  }

  /** An entry put by another instance (kept here, not published again). */
  keep(id: string, sig: Signature): void {
    if (this.map.size >= this.maxEntries) {
      const oldest = this.map.keys().next().value
      if (oldest !== undefined) this.map.delete(oldest)
    }
    this.map.set(id, { sig, at: Date.now() })
  }

  /** Gives unsigned tool calls in a request back the signature they were answered with. */
  restore(messages: ReadonlyArray<{ parts: IRPart[] }>): void {
    if (this.map.size === 0) return
    const now = Date.now()
    for (const m of messages)
      for (const p of m.parts) {
        if (p.type !== 'tool-call' || p.signature) continue
        const hit = this.map.get(p.id)
        if (hit && now - hit.at < this.ttlMs) p.signature = hit.sig
      }
  }
}
