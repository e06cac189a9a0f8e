import { Agent, errors as undiciErrors, type Dispatcher } from 'undici'
import { GatewayError } from '../errors'

/**
 * Upstream HTTP: one undici Agent (a keep-alive pool per origin), `request` rather than fetch (3–5×
 * cheaper here). Headers get a bounded timeout; streamed bodies only an idle bound (a long answer is not a fault, a silent one is).
 */
const agent = new Agent({
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 600_000,
  // No cap on sockets per origin: a cap would queue stream N+1 behind minute-long LLM streams.
  connections: null,
  pipelining: 1,
})

export interface UpstreamRequest {
  /** `https://api.openai.com` */
  origin: string
  /** `/v1/chat/completions`, query included */
  path: string
  headers: Record<string, string>
  body: string | Buffer
  /** Anything undici accepts as a signal: an AbortSignal or an emitter of 'abort' (see client-gone.ts). */
  signal: AbortSignal | import('node:events').EventEmitter
  timeoutMs: number
  stream: boolean
  /** Streams only: the longest silence between two body chunks before it is a timeout (0 = none). */
  idleTimeoutMs?: number
}

export type UpstreamResponse = Dispatcher.ResponseData

export async function callUpstream(req: UpstreamRequest, provider: string): Promise<UpstreamResponse> {
  try {
    return await agent.request({
      origin: req.origin,
      path: req.path,
      method: 'POST',
      headers: req.headers,
      body: req.body,
      signal: req.signal,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.stream ? (req.idleTimeoutMs ?? 0) : req.timeoutMs,
    })
  } catch (e) {
    throw toGatewayError(e, provider)
  }
}

/** Maps undici / socket failures to typed gateway errors (never a bare 500). */
export function toGatewayError(e: unknown, provider: string): GatewayError {
  if (GatewayError.is(e)) return e
  const err = e as { code?: string; name?: string; message?: string }
  const msg = err?.message ?? String(e)
  if (e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError || err?.code === 'UND_ERR_CONNECT_TIMEOUT')
    return new GatewayError('timeout', `upstream '${provider}' timed out`, { provider, cause: e })
  if (err?.name === 'AbortError' || err?.code === 'UND_ERR_ABORTED')
    return new GatewayError('connection', `request to upstream '${provider}' was aborted`, { provider, status: 499, cause: e })
  const code = err?.code ?? ''
  // undici refusing to send what we built (a header or path it finds invalid) is our request's fault,
  // never the provider's: it must not open a circuit or move on to other keys (issue 21).
  if (code === 'UND_ERR_INVALID_ARG') return new GatewayError('internal', `request to upstream '${provider}' could not be sent: ${msg}`, { provider, cause: e })
  const reason = code === 'ECONNREFUSED' ? 'refused the connection' : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' ? 'reset the connection' : code === 'ENOTFOUND' ? 'host not found' : msg
  return new GatewayError('connection', `upstream '${provider}' is unreachable: ${reason}`, { provider, cause: e })
}

export async function closeUpstreams(): Promise<void> {
  await agent.close()
}
