import { spawn, type ChildProcess } from 'node:child_process'
import { CLIENT_KEY, builtEntry, freePort, testServerEnv } from './server'
import { storeEnv } from './test-store'

/**
 * The built server as a process the test may kill at any moment (kill -9 included), on a data folder
 * that outlives it. Unlike startServer, readiness is the boot's own "Rosetta is ready" line, so a
 * test can also tell a boot that fails (the process exits first, its output says why).
 */
export interface RosettaProcess {
  url: string
  child: ChildProcess
  output(): string
  /** Resolves true once booted, false when the process exited first (its output says why). */
  ready: Promise<boolean>
  exited: Promise<number | null>
  kill9(): Promise<void>
  stop(): Promise<number | null>
}

export async function spawnRosetta(dir: string, opts: { config?: string; env?: Record<string, string> } = {}): Promise<RosettaProcess> {
  const entry = builtEntry()
  const port = await freePort()
  const env: Record<string, string> = {
    ...testServerEnv(dir, port),
    ...(await storeEnv(dir)),
    ...(opts.config ? { NUXT_CONFIG_FILE: opts.config } : {}),
    ...opts.env,
  }
  let out = ''
  const child = spawn(process.execPath, [entry], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<number | null>((r) => child.once('exit', (code, signal) => r(code ?? (signal ? -1 : null))))
  const ready = new Promise<boolean>((resolve) => {
    const onData = (d: Buffer) => {
      out += d
      if (out.includes('Rosetta is ready')) resolve(true)
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    void exited.then(() => resolve(false))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    ready,
    exited,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}

/** The rosetta.yaml the durability tests boot with: one provider on the mock upstream, one client key. */
export function mockConfigYaml(mockUrl: string): string {
  return `providers:
  - { id: mock-openai, type: openai, base_url: "${mockUrl}/openai/v1", keys: [sk-upstream-openai-1] }
routes:
  - { name: openai, match: { prefix: "oa-" }, provider: mock-openai, priority: 10 }
client_keys:
  - { name: test, key: ${CLIENT_KEY} }
`
}
