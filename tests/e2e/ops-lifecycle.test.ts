import { describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import OpenAI from 'openai'
import { TEST_STORE, storeRows } from './support/test-store'
import { CLIENT_KEY, freePort, mockConfigYaml, startServer } from './support/server'
import { useMockUpstream } from './support/setup'

const up = useMockUpstream()

describe('lifecycle', () => {
  it('SIGTERM during a streamed request lets it finish, loses no log row, exits 0', async () => {
    const s = await startServer({ config: mockConfigYaml(up.mock.url) })
    const client = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${s.url}/v1`, maxRetries: 0 })
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'oa-slow', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse()
    const requestId = response.headers.get('x-request-id')
    const it = stream[Symbol.asyncIterator]()
    let text = (await it.next()).value?.choices[0]?.delta?.content ?? ''
    const exited = s.stop('SIGTERM', { keepDir: true })
    for (let n = await it.next(); !n.done; n = await it.next()) text += n.value.choices[0]?.delta?.content ?? ''
    expect(text).toBe('one two three four five six seven eight nine ten')
    expect(await exited).toBe(0)
    expect(s.output()).toContain('shutdown complete')

    const rows = await storeRows(s.dir, 'SELECT request_id, status, error_kind, output_tokens FROM request_log')
    s.cleanup()
    expect(rows).toContainEqual({ request_id: requestId, status: 200, error_kind: null, output_tokens: 9 })
  })

  it('a taken port is a clear message and a non-zero exit', async () => {
    const port = await freePort()
    const blocker: Server = createServer()
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r))
    try {
      const s = await startServer({ config: mockConfigYaml(up.mock.url), env: { PORT: String(port) }, expectFailure: true })
      expect((s as any).exitCode).toBe(1)
      expect(s.output()).toContain(`Rosetta could not start: 127.0.0.1:${port} is already in use`)
      s.cleanup()
    } finally {
      await new Promise((r) => blocker.close(r))
    }
  })

  // One process per DuckDB file; on PostgreSQL any number of instances share the database by design.
  it.skipIf(TEST_STORE === 'postgres')('a database locked by another process is a clear message and a non-zero exit', async () => {
    const first = await startServer({ config: mockConfigYaml(up.mock.url) })
    try {
      const second = await startServer({ config: mockConfigYaml(up.mock.url), env: { NUXT_DB_PATH: join(first.dir, 'rosetta.duckdb') }, expectFailure: true })
      expect((second as any).exitCode).toBe(1)
      expect(second.output()).toMatch(/Rosetta could not start: Cannot open the database .*rosetta\.duckdb.*\(is another Rosetta running on it\?\)/s)
      second.cleanup()
      // The first one is unharmed.
      expect((await fetch(`${first.url}/health`)).status).toBe(200)
    } finally {
      expect(await first.stop()).toBe(0)
    }
  })
})
