import { EventEmitter } from 'node:events'
import type { ServerResponse } from 'node:http'

/**
 * An abort signal for undici that costs an EventEmitter, not an AbortController (whose EventTarget
 * machinery showed up at ~5% of the proxy's CPU). undici accepts any emitter of 'abort' with an
 * `aborted` flag. It fires when the client's connection closes before the response finished.
 */
export class ClientGone extends EventEmitter {
  aborted = false

  constructor(res: ServerResponse) {
    super()
    res.once('close', () => {
      if (res.writableFinished) return
      this.aborted = true
      this.emit('abort')
    })
  }
}
