import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port'

/**
 * A throwaway Redis for tests: Debian's redis-server (apt-get install redis-server) on a free
 * loopback port, no persistence, its folder removed on stop. It can be stopped and started again on
 * the same port (the "Redis went away and came back" tests). No system service needed.
 */
export interface RedisServer {
  port: number
  url: string
  /** Kills the server (SIGKILL: as abrupt as a crash); `start` brings it back, empty, on the same port. */
  kill(): Promise<void>
  start(): Promise<void>
  stop(): Promise<void>
}

function redisBin(): string | null {
  for (const p of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) if (existsSync(p)) return p
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' })
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null
}

/** Whether this machine can start one (tests skip with a reason when not). */
export const redisAvailable = redisBin() !== null


async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' }, () => {
      c.write('PING\r\n')
    })
    c.once('data', (d) => {
      c.destroy()
      resolve(d.toString().startsWith('+PONG'))
    })
    c.once('error', () => resolve(false))
  })
}

export async function startRedisServer(): Promise<RedisServer> {
  const bin = redisBin()
  if (!bin) throw new Error('redis-server is not installed (apt-get install redis-server)')
  const dir = mkdtempSync(join(tmpdir(), 'rosetta-redis-'))
  const port = await freePort()
  let child: ChildProcess | undefined
  const start = async () => {
    child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' })
    const deadline = Date.now() + 10_000
    while (!(await answers(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  const kill = async () => {
    const c = child
    child = undefined
    if (!c || c.exitCode !== null) return
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve())
      c.kill('SIGKILL')
    })
  }
  await start()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    start,
    async stop() {
      await kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
