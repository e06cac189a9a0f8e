import { describe, expect, it } from 'vitest'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * server/plugins/fast-path.ts swaps `nitroApp.h3App.handler` for its own function, so public API
 * POSTs skip h3's stack. That leans on internals no changelog promises. This test asserts each of
 * them against the packages actually installed, so a Nitro or h3 upgrade that changes one fails
 * here, loudly and by name, instead of silently routing every request through the slow path (or
 * breaking it):
 *
 * 1. Nitro builds `h3App` and its node listener first and runs the plugins after, on the same app.
 * 2. h3's node listener reads `app.handler` on every request (a replaced handler takes effect).
 * 3. `app.handler` carries properties (`__resolve__`) the plugin copies onto its replacement.
 * 4. The event gives the Node `req` / `res` (`event.node`), and `req.socket.server` is the http.Server
 *    (the plugin tunes keep-alive and the shutdown drain on it).
 * 5. A handler that answers on `res` itself and returns nothing gets no second answer from h3.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url))
const nitroDir = join(root, 'node_modules/nitropack')
const requireFromNitro = createRequire(join(nitroDir, 'package.json'))

type H3 = typeof import('h3')
/** The h3 Nitro's runtime imports (its own nested copy when it has one) and the one our node entry imports. */
const h3Copies: Array<[string, () => Promise<H3>]> = [
  ["nitropack's h3", async () => (await import(pathToFileURL(requireFromNitro.resolve('h3')).href)) as H3],
  ['server/entry/node-server.ts h3', async () => (await import('h3')) as H3],
]

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = createServer(handler)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      resolve({ server, url: `http://127.0.0.1:${port}` })
    })
  })
}

describe('Nitro runtime: the plugin sees the app its listener serves', () => {
  const src = readFileSync(join(nitroDir, 'dist/runtime/internal/app.mjs'), 'utf8')

  it('creates h3App, then the node listener over it, exposes h3App on the nitro app, then runs plugins', () => {
    const created = src.indexOf('const h3App = createApp(')
    const listener = src.indexOf('toNodeListener(h3App)')
    const exposed = src.search(/const app = \{[^}]*\bh3App\b/)
    const appMade = src.indexOf('export const nitroApp = createNitroApp()')
    const plugins = src.indexOf('runNitroPlugins(nitroApp)')
    for (const [what, at] of Object.entries({ created, listener, exposed, appMade, plugins })) expect(at, what).toBeGreaterThan(-1)
    expect(created).toBeLessThan(listener)
    expect(appMade).toBeLessThan(plugins)
  })

  it('our production entry serves nitroApp.h3App through h3 toNodeListener', () => {
    const entry = readFileSync(join(root, 'server/entry/node-server.ts'), 'utf8')
    expect(entry).toMatch(/toNodeListener\(nitroApp\.h3App\)/)
  })
})

describe.each(h3Copies)('%s: what fast-path.ts relies on', (_name, load) => {
  it('app.handler is a function carrying __resolve__, and the listener reads it per request', async () => {
    const { createApp, eventHandler, toNodeListener } = await load()
    const app = createApp()
    app.use('/slow', eventHandler(() => 'slow path'))
    expect(typeof app.handler).toBe('function')
    expect(typeof (app.handler as unknown as { __resolve__?: unknown }).__resolve__).toBe('function')

    // The listener exists before the swap, as in Nitro.
    const listener = toNodeListener(app)
    const slow = app.handler
    const seen: Array<{ hasNode: boolean; socketServer: unknown }> = []
    const fast = ((event) => {
      const req = event.node.req
      seen.push({ hasNode: !!event.node.res && !!req, socketServer: (req.socket as unknown as { server?: unknown }).server })
      if (req.url === '/fast') {
        event.node.res.writeHead(200, { 'content-type': 'text/plain' })
        event.node.res.end('fast path')
        return
      }
      return slow(event)
    }) as typeof slow
    app.handler = Object.assign(fast, slow)
    expect((app.handler as unknown as { __resolve__?: unknown }).__resolve__).toBe((slow as unknown as { __resolve__?: unknown }).__resolve__)

    const { server, url } = await listen(listener as (req: IncomingMessage, res: ServerResponse) => void)
    try {
      const f = await fetch(`${url}/fast`, { method: 'POST' })
      expect(f.status).toBe(200)
      expect(await f.text()).toBe('fast path')
      const s = await fetch(`${url}/slow`)
      expect(s.status).toBe(200)
      expect(await s.text()).toBe('slow path')
      expect(seen).toHaveLength(2)
      for (const x of seen) {
        expect(x.hasNode).toBe(true)
        expect(x.socketServer).toBe(server)
      }
    } finally {
      await new Promise((r) => server.close(r))
    }
  })
})
