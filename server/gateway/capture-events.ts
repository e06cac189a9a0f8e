import type { IRStreamEvent } from './ir'
import type { GatewayError } from './errors'

/**
 * The stream events kept for the body log, bounded: once the deltas kept add up to `maxChars`
 * (NUXT_LOG_BODY_MAX_KB, which the stored body is capped at anyway), further deltas are dropped and
 * only the small structural events (starts, ends, usage, finish, errors) are still kept. A long
 * stream thus costs the log a bounded amount of memory, and the reassembled body still exceeds the
 * cap, so the body writer marks it truncated.
 *
 * An Array subclass so the relay can keep pushing into it as into any array.
 */
export class CappedEvents extends Array<IRStreamEvent> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array
  }

  private chars = 0
  /** True once a delta was dropped. */
  truncated = false

  /** `scrubError`: an upstream error event is kept with upstream keys removed (scrub-secrets.ts). */
  constructor(
    private readonly maxChars: number,
    private readonly scrubError?: (e: GatewayError) => GatewayError,
  ) {
    super()
  }

  override push(...events: IRStreamEvent[]): number {
    for (const ev of events) {
      const n = ev.type === 'text-delta' || ev.type === 'reasoning-delta' ? ev.text.length : ev.type === 'tool-call-delta' ? ev.argumentsDelta.length : 0
      if (ev.type === 'error' && this.scrubError) {
        super.push({ type: 'error', error: this.scrubError(ev.error) })
        continue
      }
      if (n > 0) {
        if (this.chars >= this.maxChars) {
          this.truncated = true
          continue
        }
        this.chars += n
      }
      super.push(ev)
    }
    return this.length
  }
}
