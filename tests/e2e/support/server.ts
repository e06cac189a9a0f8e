import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { storeEnv } from './test-store'
import { startRedisServer, type RedisServer } from '../../support/redis-server'
import { freePort } from '../../support/free-port'

export { freePort }

/** ROSETTA_TEST_REDIS=1: every server gets a throwaway Redis of its own (NUXT_REDIS_URL), stopped with it. */
const TEST_REDIS = process.env.ROSETTA_TEST_REDIS === '1'

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const ADMIN_KEY = 'rsk-admin-test-0123456789abcdefghij'
export const CLIENT_KEY = 'rk-test-client-0123456789abcdef'

export interface RunningServer {
  url: string
  port: number
  dir: string
  output: () => string
  stop(signal?: NodeJS.Signals, opts?: { keepDir?: boolean }): Promise<number | null>
  cleanup(): void
}


/** The standard test configuration: one provider per upstream dialect on the mock, routed by model prefix. */
export function mockConfigYaml(upstream: string, extra = ''): string {
  return `
providers:
  - id: mock-openai
    type: openai
    base_url: ${upstream}/openai/v1
    keys: [sk-upstream-openai-1, sk-upstream-openai-2]
  - id: mock-anthropic
    type: anthropic
    base_url: ${upstream}/anthropic/v1
    keys: [sk-ant-upstream-1]
  - id: mock-gemini
    type: gemini
    base_url: ${upstream}/gemini/v1beta
    keys: [AIza-upstream-1]
  - id: mock-responses
    type: openai-responses
    base_url: ${upstream}/openai/v1
    keys: [sk-upstream-responses-1]
  # Error scenarios get providers of their own: a 429 rests its key, a 5xx counts against the
  # provider's circuit, and neither should touch the providers the other tests use.
  - { id: mock-openai-err, type: openai, base_url: "${upstream}/openai/v1", keys: [sk-err-openai] }
  - { id: mock-anthropic-err, type: anthropic, base_url: "${upstream}/anthropic/v1", keys: [sk-ant-err] }
  - { id: mock-gemini-err, type: gemini, base_url: "${upstream}/gemini/v1beta", keys: [AIza-err] }
  - { id: mock-responses-err, type: openai-responses, base_url: "${upstream}/openai/v1", keys: [sk-err-responses] }
  - { id: mock-openai-limited, type: openai, base_url: "${upstream}/openai/v1", keys: [sk-limited-openai] }
  - { id: mock-anthropic-limited, type: anthropic, base_url: "${upstream}/anthropic/v1", keys: [sk-ant-limited] }
  - { id: mock-gemini-limited, type: gemini, base_url: "${upstream}/gemini/v1beta", keys: [AIza-limited] }
  - { id: mock-responses-limited, type: openai-responses, base_url: "${upstream}/openai/v1", keys: [sk-limited-responses] }
models:
  - name: smart
    targets: [ { provider: mock-anthropic-err, model: an-e500 } ]
    fallbacks: [ { provider: mock-gemini, model: gm-text } ]
routes:
  - { name: openai-limited, match: { prefix: oa-e429 }, provider: mock-openai-limited, priority: 30 }
  - { name: anthropic-limited, match: { prefix: an-e429 }, provider: mock-anthropic-limited, priority: 30 }
  - { name: gemini-limited, match: { prefix: gm-e429 }, provider: mock-gemini-limited, priority: 30 }
  - { name: responses-limited, match: { prefix: rs-e429 }, provider: mock-responses-limited, priority: 30 }
  - { name: openai-errors, match: { regex: '^oa-e\\d' }, provider: mock-openai-err, priority: 20 }
  - { name: anthropic-errors, match: { regex: '^an-e\\d' }, provider: mock-anthropic-err, priority: 20 }
  - { name: gemini-errors, match: { regex: '^gm-e\\d' }, provider: mock-gemini-err, priority: 20 }
  - { name: responses-errors, match: { regex: '^rs-e\\d' }, provider: mock-responses-err, priority: 20 }
  - { name: openai, match: { prefix: "oa-" }, provider: mock-openai, priority: 10 }
  - { name: anthropic, match: { prefix: "an-" }, provider: mock-anthropic, priority: 10 }
  - { name: gemini, match: { prefix: "gm-" }, provider: mock-gemini, priority: 10 }
  - { name: responses, match: { prefix: "rs-" }, provider: mock-responses, priority: 10 }
client_keys:
  - { name: test, key: ${CLIENT_KEY} }
${extra}`
}

/**
 * Starts the BUILT server (`.output`, built once by `npm test`) with its own temp DuckDB and config.
 * Resolves once /health says ok (unless `waitReady: false`).
 */
/** The built server's entry point (`.output`, built once by `npm test`). */
export function builtEntry(): string {
  const entry = join(ROOT, '.output/server/index.mjs')
  if (!existsSync(entry)) throw new Error('.output is missing: run `npm run build` first (npm test does)')
  return entry
}

/** What every test server runs with: loopback on `port`, its own DuckDB in `dir`, the test admin key. */
export function testServerEnv(dir: string, port: number): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    PORT: String(port),
    HOST: '127.0.0.1',
    NUXT_DB_PATH: join(dir, 'rosetta.duckdb'),
    NUXT_ADMIN_KEY: ADMIN_KEY,
    // Active probes would add GET /models calls at odd moments to the mock's request record.
    NUXT_PROBE_INTERVAL_S: '0',
  }
}

export async function startServer(opts: { config?: string; env?: Record<string, string>; expectFailure?: boolean; dir?: string; waitReady?: boolean } = {}, attempt = 0): Promise<RunningServer> {
  const entry = builtEntry()
  // `dir` reuses a data folder a stopped server left (stop with keepDir), e.g. to restart on the same database.
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'rosetta-e2e-'))
  const port = await freePort()
  const redis: RedisServer | undefined = TEST_REDIS && !opts.env?.NUXT_REDIS_URL ? await startRedisServer() : undefined
  const env: Record<string, string> = {
    ...testServerEnv(dir, port),
    // The mock's `e429` asks for retry-after: 7; tests expect that 429 at once, not a transparent
    // 7 s wait and a retry (tests/e2e/delivery.test.ts sets its own bound to test the wait).
    NUXT_RETRY_WAIT_MAX_MS: '5000',
    // ROSETTA_TEST_STORE=postgres: a fresh PostgreSQL database instead of the DuckDB file (test-store.ts).
    ...(await storeEnv(dir)),
    ...(redis ? { NUXT_REDIS_URL: redis.url } : {}),
    ...opts.env,
  }
  if (opts.config !== undefined) {
    writeFileSync(join(dir, 'rosetta.yaml'), opts.config)
    env.NUXT_CONFIG_FILE = join(dir, 'rosetta.yaml')
  }
  let out = ''
  const child: ChildProcess = spawn(process.execPath, [entry], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const url = `http://127.0.0.1:${port}`
  const server: RunningServer = {
    url,
    port,
    dir,
    output: () => out,
    async stop(signal = 'SIGTERM', o = {}) {
      if (child.exitCode === null) child.kill(signal)
      const code = await exited
      await redis?.stop()
      if (!o.keepDir) rmSync(dir, { recursive: true, force: true })
      return code
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
  // `waitReady: false` returns as soon as the process is spawned (a test that watches boot itself).
  if (opts.waitReady === false) return server
  if (opts.expectFailure) {
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 15_000))])
    ;(server as any).exitCode = code
    // A server that failed as expected is not stopped by its test: its Redis would outlive the run.
    if (code !== null) await redis?.stop()
    return server
  }
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      // Another test file's process took the free port between freePort() and the bind: another port.
      if (out.includes('EADDRINUSE') && opts.env?.PORT === undefined && attempt < 3) {
        await server.stop('SIGTERM', { keepDir: opts.dir !== undefined })
        return startServer(opts, attempt + 1)
      }
      await redis?.stop()
      throw new Error(`server exited with ${child.exitCode}:\n${out}`)
    }
    try {
      const r = await fetch(`${url}/health`)
      if (r.ok && ((await r.json()) as any).status === 'ok') return server
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  await server.stop()
  throw new Error(`server did not become healthy:\n${out}`)
}
