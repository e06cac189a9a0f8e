import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ADMIN_KEY, ROOT } from './support/server'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'
import { pgAvailable } from '../support/pg-server'
import { redisAvailable } from '../support/redis-server'
import { freePort } from '../support/free-port'

/**
 * docs/cluster.md's local cluster, as an operator runs it: `bash scripts/local-cluster.sh` starts
 * PostgreSQL, Redis and three instances from nothing; the cluster is then driven with the CLI only
 * (the documented admin API), each command through a different instance; SIGTERM stops everything
 * and removes the folder the script made.
 */
describe.skipIf(!pgAvailable || !redisAvailable)('scripts/local-cluster.sh', () => {
  let mock: MockUpstream
  let script: ChildProcess
  let out = ''
  let urls: string[] = []
  let dir = ''

  const cli = (url: string, args: string[]) => {
    const r = spawnSync(process.execPath, [join(ROOT, 'cli/rosetta.mjs'), ...args, '--json'], {
      env: { ...process.env, ROSETTA_URL: url, ROSETTA_ADMIN_KEY: ADMIN_KEY, NO_COLOR: '1' },
      encoding: 'utf8',
    })
    if (r.status !== 0) throw new Error(`rosetta ${args.join(' ')} → ${r.status}: ${r.stderr}`)
    return JSON.parse(r.stdout)
  }

  /** Runs the script on free ports until the cluster is ready. */
  const start = async () => {
    out = ''
    const ports = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()])
    script = spawn('bash', [join(ROOT, 'scripts/local-cluster.sh')], {
      env: { ...process.env, PORTS: ports.slice(0, 3).join(' '), PG_PORT: String(ports[3]), REDIS_PORT: String(ports[4]), NUXT_ADMIN_KEY: ADMIN_KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    script.stdout!.on('data', (d) => (out += d))
    script.stderr!.on('data', (d) => (out += d))
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        const ready = /cluster ready: (.*) \(logs in (.*)\)/.exec(out)
        if (ready) {
          clearInterval(t)
          urls = ready[1]!.trim().split(' ')
          dir = ready[2]!
          resolve()
        } else if (script.exitCode !== null) {
          clearInterval(t)
          reject(new Error(`the script exited (${script.exitCode}):\n${out}`))
        }
      }, 100)
    })
  }

  beforeAll(async () => {
    mock = await startMockUpstream()
    // A port found free can be taken by another test's server before the script binds it: then again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await start()
      } catch (e) {
        if (attempt === 3 || !/EADDRINUSE|address already in use|could not bind|Address in use/i.test(out)) throw e
      }
    }
  }, 600_000)

  afterAll(async () => {
    if (script && script.exitCode === null) script.kill('SIGTERM')
    await mock?.close()
  })

  it('starts three instances on one PostgreSQL and one Redis, driven by the CLI through any of them', async () => {
    expect(urls).toHaveLength(3)
    // The admin key given was used, and not printed.
    expect(out).not.toContain(ADMIN_KEY)
    cli(urls[1]!, ['providers', 'add', 'mock', '--type', 'openai', '--base-url', `${mock.url}/openai/v1`, '--keys', 'sk-script-upstream-1'])
    cli(urls[2]!, ['routes', 'add', 'oa', '--match', 'prefix:oa-', '--provider', 'mock'])
    const key = cli(urls[0]!, ['client-keys', 'add', 'app', '--rpm', '5']).key as string
    // Configuration made through instances 2 and 3 reaches every instance within a second.
    await new Promise((r) => setTimeout(r, 1000))
    const statuses = await Promise.all(
      Array.from({ length: 15 }, async (_, i) => {
        const r = await fetch(`${urls[i % 3]}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ model: 'oa-text', messages: [{ role: 'user', content: 'hi' }] }),
        })
        await r.text()
        return r.status
      }),
    )
    expect(statuses.filter((s) => s === 200), String(statuses)).toHaveLength(5)
    expect(statuses.filter((s) => s === 429)).toHaveLength(10)
    // One log, whichever instance is asked, with the rows of all three.
    await new Promise((r) => setTimeout(r, 1500))
    const rows = cli(urls[2]!, ['logs', '--client-key', 'app']).items as Array<{ instance: string }>
    expect(rows).toHaveLength(15)
    expect(new Set(rows.map((r) => r.instance))).toEqual(new Set(['node1', 'node2', 'node3']))
  }, 60_000)

  it('SIGTERM stops PostgreSQL, Redis and the instances, exits 0 and removes its folder', async () => {
    const exited = new Promise<number | null>((r) => script.once('exit', (code) => r(code)))
    script.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(existsSync(dir)).toBe(false)
    for (const u of urls) await expect(fetch(`${u}/health`)).rejects.toThrow()
  }, 60_000)
})
