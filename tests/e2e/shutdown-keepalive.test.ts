import { Agent, request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { useMockUpstream } from './support/setup'
import { CLIENT_KEY, mockConfigYaml, startServer } from './support/server'

/**
 * Issue 21, item 6: SIGTERM while clients keep sending on kept-alive connections. Every request
 * either completes normally (it was in flight) or gets a 503 in its own dialect with
 * `connection: close`; none is reset.
 */
const up = useMockUpstream()

interface Outcome {
  status: number
  connection: string | undefined
  body: string
}

function send(port: number, agent: Agent, path: string, body: unknown): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${CLIENT_KEY}`, 'x-goog-api-key': CLIENT_KEY, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body: text }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(JSON.stringify(body))
  })
}

const msgs = [{ role: 'user', content: 'hi' }]
/** One worker per dialect (two each): the 503 must be in that dialect's error shape. */
const KINDS = [
  { dialect: 'openai', path: '/v1/chat/completions', body: { model: 'oa-text', messages: msgs }, shape: (j: any) => typeof j.error?.message === 'string' && j.error.type !== undefined },
  { dialect: 'anthropic', path: '/v1/messages', body: { model: 'an-text', max_tokens: 20, messages: msgs }, shape: (j: any) => j.type === 'error' && j.error.type === 'overloaded_error' },
  { dialect: 'gemini', path: '/v1beta/models/gm-text:generateContent', body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }, shape: (j: any) => j.error?.code === 503 && j.error.status === 'UNAVAILABLE' },
  { dialect: 'responses', path: '/v1/responses', body: { model: 'rs-text', input: 'hi' }, shape: (j: any) => typeof j.error?.message === 'string' },
]

describe('SIGTERM with kept-alive connections', () => {
  it('answers 503 with connection: close in the caller’s dialect, never a reset, and exits 0', { timeout: 60_000 }, async () => {
    const s = await startServer({ config: mockConfigYaml(up.mock.url) })
    const agent = new Agent({ keepAlive: true, maxSockets: 16 })
    const results: Array<Outcome & { dialect: string; afterSignal: boolean }> = []
    const errors: string[] = []
    let signalled = false
    let sent = 0
    const worker = async (k: (typeof KINDS)[number]) => {
      for (;;) {
        const after = signalled
        try {
          const r = await send(s.port, agent, k.path, k.body)
          results.push({ ...r, dialect: k.dialect, afterSignal: after })
          sent++
          if (r.status !== 200) return
        } catch (e) {
          errors.push(`${k.dialect}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
          return
        }
      }
    }
    const workers = [...KINDS, ...KINDS, ...KINDS].map(worker)
    while (sent < 150) await new Promise((r) => setTimeout(r, 5))
    signalled = true
    const exited = s.stop('SIGTERM')
    await Promise.all(workers)
    expect(await exited).toBe(0)
    agent.destroy()

    expect(errors).toEqual([]) // no ECONNRESET, no socket hang up
    const refused = results.filter((r) => r.status !== 200)
    // Every worker kept sending on its kept-alive connection until it got its 503.
    expect(refused).toHaveLength(workers.length)
    for (const r of refused) {
      expect(r.status).toBe(503)
      expect(r.connection).toBe('close')
      const kind = KINDS.find((k) => k.dialect === r.dialect)!
      expect(kind.shape(JSON.parse(r.body)), `${r.dialect}: ${r.body}`).toBe(true)
    }
    // Requests sent before the signal completed normally (those in flight finished).
    expect(results.filter((r) => !r.afterSignal && r.status !== 200 && r.status !== 503)).toEqual([])
  })
})
