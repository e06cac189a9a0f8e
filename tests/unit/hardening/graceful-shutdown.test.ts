import { describe, expect, it } from 'vitest'
import { Agent, createServer, request, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { GracefulShutdown } from '../../../server/services/ops/graceful-shutdown'

/** A server wired like Rosetta's: the fast path adds connection: close while draining, the gate answers 503. */
function serve(sd: () => GracefulShutdown, order?: string[]): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    sd().see(server)
    sd().track(res)
    if (sd().draining) res.setHeader('connection', 'close')
    req.resume()
    req.on('end', () => {
      const status = sd().draining ? 503 : 200
      const delay = req.url === '/slow' ? 400 : 0
      if (req.url === '/slow') res.once('finish', () => order?.push(`slow ${status} sent`))
      setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status })), delay)
    })
  })
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, port: (server.address() as AddressInfo).port })))
}

function post(port: number, agent: Agent, path = '/v1/chat/completions'): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }))
    })
    req.on('error', reject)
    req.end('{"model":"m"}')
  })
}

describe('graceful shutdown', () => {
  it('answers requests on kept-alive connections with 503 + connection: close, never a reset', async () => {
    let exited: (code: number) => void = () => {}
    const exit = new Promise<number>((r) => (exited = r))
    const sd = new GracefulShutdown({ timeoutMs: 5000, graceMs: 300, refuseNewWork: () => {}, close: async () => {}, exit: (c) => exited(c), log: () => {} })
    const { port } = await serve(() => sd)
    const agent = new Agent({ keepAlive: true, maxSockets: 4 })
    const seen: Array<{ status: number; connection: string | undefined }> = []
    const errors: string[] = []
    let sent = 0
    const worker = async () => {
      for (;;) {
        try {
          const r = await post(port, agent)
          seen.push(r)
          sent++
          if (r.status !== 200) return
        } catch (e) {
          errors.push((e as NodeJS.ErrnoException).code ?? String(e))
          return
        }
      }
    }
    const workers = Array.from({ length: 4 }, worker)
    while (sent < 40) await new Promise((r) => setImmediate(r))
    void sd.run('SIGTERM')
    await Promise.all(workers)
    expect(errors).toEqual([])
    const refused = seen.filter((r) => r.status === 503)
    expect(refused).toHaveLength(4) // each worker's kept-alive connection got exactly one, then closed
    for (const r of refused) expect(r.connection).toBe('close')
    expect(await exit).toBe(0)
    agent.destroy()
  })

  it('lets a request in flight finish before closing and exiting', async () => {
    const order: string[] = []
    let exited: (code: number) => void = () => {}
    const exit = new Promise<number>((r) => (exited = r))
    const sd = new GracefulShutdown({
      timeoutMs: 5000,
      graceMs: 50,
      refuseNewWork: () => {},
      close: async () => void order.push('close'),
      exit: (c) => (order.push('exit'), exited(c)),
      log: () => {},
    })
    const { port } = await serve(() => sd, order)
    const agent = new Agent({ keepAlive: true })
    await post(port, agent) // the server learns its http.Server from a first request
    const slow = post(port, agent, '/slow')
    await new Promise((r) => setTimeout(r, 50))
    void sd.run('SIGTERM')
    expect((await slow).status).toBe(200)
    expect(await exit).toBe(0)
    expect(order).toEqual(['slow 200 sent', 'close', 'exit'])
    agent.destroy()
  })

  it('does not wait for a connection that never finished sending a request (nothing is in flight)', async () => {
    let exited: (code: number) => void = () => {}
    const exit = new Promise<number>((r) => (exited = r))
    // A timeout far beyond the test's own: the drain must end because nothing is in flight.
    const sd = new GracefulShutdown({ timeoutMs: 60_000, graceMs: 50, refuseNewWork: () => {}, close: async () => {}, exit: (c) => exited(c), log: () => {} })
    const { port } = await serve(() => sd)
    const agent = new Agent({ keepAlive: true })
    await post(port, agent)
    const half = connect(port, '127.0.0.1')
    await new Promise((r) => half.once('connect', r))
    half.write('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n') // headers never finished
    half.on('error', () => {})
    await new Promise((r) => setTimeout(r, 20))
    void sd.run('SIGTERM')
    expect(await exit).toBe(0)
    agent.destroy()
    half.destroy()
  })
})
