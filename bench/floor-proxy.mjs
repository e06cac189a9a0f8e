// The floor: the least a Node pass-through proxy can do. node:http in, one undici Pool (keep-alive,
// unbounded connections) out, bytes piped back with backpressure. No auth, no parsing, no logging.
// `PORT=0 UPSTREAM=http://127.0.0.1:N node bench/floor-proxy.mjs` prints {"port":N} on stdout.
import { createServer } from 'node:http'
import { once } from 'node:events'
import { Pool } from 'undici'

const pool = new Pool(process.env.UPSTREAM, { pipelining: 1, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 })
const auth = `Bearer ${process.env.UPSTREAM_KEY ?? 'sk-bench-upstream'}`

const server = createServer(async (req, res) => {
  const chunks = []
  for await (const c of req) chunks.push(c)
  try {
    const up = await pool.request({
      path: req.url,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: Buffer.concat(chunks),
    })
    res.writeHead(up.statusCode, { 'content-type': up.headers['content-type'] ?? 'application/json' })
    for await (const c of up.body) if (!res.write(c)) await once(res, 'drain')
    res.end()
  } catch (e) {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: { message: String(e?.message ?? e) } }))
  }
})
server.keepAliveTimeout = 120_000
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })))
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0)) // lets --cpu-prof write its file
