import { connect, type Socket } from 'node:net'

/**
 * One keep-alive HTTP/1.1 connection driven by hand, for what fetch hides: when an answer arrives
 * relative to the body still being written, and whether the server kept or cut the connection.
 */
export class RawConnection {
  private buf = Buffer.alloc(0)
  private waiters: (() => void)[] = []
  closed = false
  /** The socket error the client saw, if any (EPIPE, ECONNRESET). */
  error: string | undefined

  private constructor(private readonly socket: Socket) {
    socket.on('data', (c: Buffer) => {
      this.buf = Buffer.concat([this.buf, c])
      this.wake()
    })
    socket.on('error', (e: NodeJS.ErrnoException) => {
      this.error = e.code ?? e.message
    })
    socket.on('close', () => {
      this.closed = true
      this.wake()
    })
  }

  static open(url: string): Promise<RawConnection> {
    const u = new URL(url)
    return new Promise((resolve, reject) => {
      const s = connect(Number(u.port), u.hostname, () => resolve(new RawConnection(s)))
      s.once('error', reject)
    })
  }

  /** Writes bytes; resolves once the kernel took them (false if the socket failed meanwhile). */
  write(data: string | Buffer): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.closed || this.socket.destroyed) return resolve(false)
      this.socket.write(data, (e) => resolve(!e))
    })
  }

  /** The next whole response (status and body, by content-length), or undefined if the socket closed first. */
  async response(timeoutMs = 15_000): Promise<{ status: number; headers: string; body: string } | undefined> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n')
      if (end >= 0) {
        const head = this.buf.subarray(0, end).toString('latin1')
        if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) throw new Error(`a chunked answer, which this helper does not read: ${head}`)
        const len = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0)
        if (this.buf.length >= end + 4 + len) {
          const body = this.buf.subarray(end + 4, end + 4 + len).toString('utf8')
          this.buf = this.buf.subarray(end + 4 + len)
          return { status: Number(head.split(' ')[1]), headers: head, body }
        }
      }
      if (this.closed) return undefined
      if (Date.now() > deadline) throw new Error('no whole response in time')
      await new Promise<void>((r) => {
        this.waiters.push(r)
        setTimeout(r, 200)
      })
    }
  }

  /** Resolves when the server closed the connection (true), or false after `timeoutMs`. */
  async closedWithin(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    return this.closed
  }

  destroy(): void {
    this.socket.destroy()
  }

  private wake(): void {
    const w = this.waiters
    this.waiters = []
    for (const f of w) f()
  }
}
