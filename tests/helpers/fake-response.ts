/**
 * A ServerResponse stand-in for the stream relays: records what was written and whether the head was
 * sent; never applies backpressure. Cast with `as unknown as ServerResponse`.
 */
export class FakeRes {
  status = 0
  headersSent = false
  destroyed = false
  writableEnded = false
  chunks: string[] = []
  writeHead(status: number) {
    this.status = status
    this.headersSent = true
    return this
  }
  write(d: string | Buffer) {
    this.chunks.push(d.toString())
    return true
  }
  end(d?: string) {
    if (d) this.chunks.push(d)
    this.writableEnded = true
  }
  on() {
    return this
  }
  off() {
    return this
  }
  get text() {
    return this.chunks.join('')
  }
}
