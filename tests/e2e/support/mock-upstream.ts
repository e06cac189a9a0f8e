import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { DialectName } from '../../../server/gateway/ir'
import { responseToEvents } from '../../../server/gateway/ir'
import { CODECS } from '../../../server/gateway/registry'
import { GatewayError } from '../../../server/gateway/errors'
import { scenarioResponse } from './scenarios'
import { REPLAYS } from './replays'

export interface RecordedRequest {
  dialect: DialectName
  path: string
  headers: IncomingHttpHeaders
  body: any
}

export interface MockUpstream {
  url: string
  requests: RecordedRequest[]
  last(dialect?: DialectName): RecordedRequest
  close(): Promise<void>
}

const PREFIX: Record<string, DialectName> = { openai: 'openai-chat', anthropic: 'anthropic', gemini: 'gemini' }

/**
 * One loopback server playing all three vendors: `/openai/v1/...`, `/anthropic/v1/...`,
 * `/gemini/v1beta/...`. It records what it received and answers per the scenario in the model name.
 */
export async function startMockUpstream(): Promise<MockUpstream> {
  const requests: RecordedRequest[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x')
      const dialect = PREFIX[url.pathname.split('/')[1] ?? '']
      if (!dialect) {
        res.writeHead(404).end()
        return
      }
      let body: any
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        body = null
      }
      requests.push({ dialect, path: url.pathname + url.search, headers: req.headers, body })
      let model: string
      let stream: boolean
      if (dialect === 'gemini') {
        const m = /models\/([^/:]+):(\w+)/.exec(decodeURIComponent(url.pathname))
        model = m?.[1] ?? ''
        stream = m?.[2] === 'streamGenerateContent'
      } else {
        model = String(body?.model ?? '')
        stream = body?.stream === true
      }
      const scenario = model.slice(model.indexOf('-') + 1)
      answer(dialect, scenario, model, stream, res)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    last(d) {
      const list = d ? requests.filter((r) => r.dialect === d) : requests
      const r = list.at(-1)
      if (!r) throw new Error(`the mock upstream received no ${d ?? ''} request`)
      return r
    },
    close: () => new Promise((r) => server.close(() => r())),
  }
}

function answer(d: DialectName, scenario: string, model: string, stream: boolean, res: import('node:http').ServerResponse): void {
  const codec = CODECS[d]
  const errorKind: Record<string, [GatewayError['kind'], number]> = {
    e429: ['rate_limit', 429],
    e400: ['invalid_request', 400],
    e500: ['upstream_error', 500],
    e401: ['authentication', 401],
  }
  if (errorKind[scenario]) {
    const [kind, status] = errorKind[scenario]!
    const { body } = codec.encodeError(new GatewayError(kind, `mock ${d} says ${scenario}`, { status }))
    res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '7' } : {}) })
    res.end(JSON.stringify(body))
    return
  }
  const replay = REPLAYS[`${d}:${scenario}`]
  if (replay) {
    if (stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end(replay.stream)
    } else {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(replay.json ?? '{}')
    }
    return
  }
  const ir = scenarioResponse(d, scenario.replace(/^midstream$/, 'text'), model)
  if (!ir) {
    const { body } = codec.encodeError(new GatewayError('not_found', `mock has no scenario '${scenario}'`))
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    return
  }
  if (!stream) {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(codec.encodeResponse(ir, model)))
    return
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' })
  const enc = codec.createStreamEncoder({ model, sse: true, includeUsage: true })
  const events = responseToEvents(ir, 4)
  if (scenario === 'midstream') {
    // A few frames, then the connection dies: the gateway must report it in-band.
    res.write(events.slice(0, 4).map((e) => enc.push(e)).join(''))
    setTimeout(() => res.destroy(), 20)
    return
  }
  res.end(events.map((e) => enc.push(e)).join('') + enc.end())
}
