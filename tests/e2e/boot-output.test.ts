import { afterAll, describe, expect, it } from 'vitest'
import { readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer, type Server } from 'node:net'
import { spawnSync } from 'node:child_process'
import { freePort, mockConfigYaml, ROOT, startServer, type RunningServer } from './support/server'
import { TEST_STORE } from './support/test-store'

/** What the built server prints while it boots: JSON lines only, a key file instead of the log, no "listening" before a failed boot. */
const started: RunningServer[] = []
afterAll(async () => {
  for (const s of started) await s.stop()
})

const lines = (out: string) => out.split('\n').filter((l) => l.trim() !== '')
const parsed = (out: string) => lines(out).map((l) => JSON.parse(l) as Record<string, unknown>)
const adminCall = (url: string, key: string) => fetch(`${url}/api/trpc/security.keyInfo`, { headers: { authorization: `Bearer ${key}` } })

describe('boot output', () => {
  it('a first boot with NUXT_ADMIN_KEY_FILE writes the generated key to that file (0600), not to the log', async () => {
    const keyFile = join(tmpdir(), `rosetta-admin-key-${process.pid}-${Date.now()}`)
    const s = await startServer({ config: mockConfigYaml('http://127.0.0.1:9'), env: { NUXT_ADMIN_KEY: '', NUXT_ADMIN_KEY_FILE: keyFile } })
    started.push(s)
    const key = readFileSync(keyFile, 'utf8').trim()
    expect(key.length).toBeGreaterThanOrEqual(32)
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    rmSync(keyFile)
    expect((await adminCall(s.url, key)).status).toBe(200)
    expect((await adminCall(s.url, `${key}x`)).status).toBe(401)
    // Every line is a JSON line; the key is in none of them; the file is named.
    const records = parsed(s.output())
    expect(s.output()).not.toContain(key)
    expect(records.find((r) => String(r.msg).includes('admin key was generated'))).toMatchObject({ level: 'info', file: keyFile })
    const ready = records.find((r) => r.msg === 'Rosetta is ready')
    // The store it opened: the DuckDB file, or on PostgreSQL the URL without its password.
    const database = TEST_STORE === 'postgres' ? expect.stringMatching(/^postgres:\/\/[^:]+:\*\*\*@127\.0\.0\.1:\d+\//) : join(s.dir, 'rosetta.duckdb')
    expect(ready).toMatchObject({ listening: s.url, admin: `${s.url}/admin`, database })
    expect(s.output()).not.toMatch(/Listening on/)
  })

  it('without it, the generated key is in one JSON line of the boot log, once', async () => {
    const s = await startServer({ env: { NUXT_ADMIN_KEY: '' } })
    started.push(s)
    const records = parsed(s.output())
    const line = records.find((r) => typeof r.adminKey === 'string')
    expect(line?.msg).toMatch(/shown only this once/)
    const key = line!.adminKey as string
    expect(s.output().split(key).length - 1).toBe(1)
    expect((await adminCall(s.url, key)).status).toBe(200)

    // The CLI's human output for the stored key: info, then a rotation that prints the new key once.
    const cli = (args: string[], adminKey: string) =>
      spawnSync(process.execPath, [join(ROOT, 'cli/rosetta.mjs'), ...args], { env: { ...process.env, ROSETTA_URL: s.url, ROSETTA_ADMIN_KEY: adminKey }, encoding: 'utf8' })
    const info = cli(['admin-key', 'info'], key)
    expect(info.status, info.stderr).toBe(0)
    expect(info.stdout).toMatch(/^source\s+stored$/m)
    expect(info.stdout).toMatch(/^rotatable\s+yes$/m)
    expect(info.stdout).not.toContain(key)
    const rotated = cli(['admin-key', 'rotate'], key)
    expect(rotated.status, rotated.stderr).toBe(0)
    const fresh = /^admin key\s+(\S+)$/m.exec(rotated.stdout)?.[1]
    expect(fresh).toMatch(/^rsk-/)
    expect((await adminCall(s.url, fresh!)).status).toBe(200)
    expect((await adminCall(s.url, key)).status).toBe(401)
  })

  it('a failed boot prints no "listening" or "ready" line: one JSON error line and exit 1', async () => {
    const port = await freePort()
    const blocker: Server = createServer()
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r))
    try {
      const s = await startServer({ env: { PORT: String(port) }, expectFailure: true })
      expect((s as any).exitCode).toBe(1)
      const records = parsed(s.output())
      expect(records.filter((r) => r.level === 'error').map((r) => r.msg)).toEqual([`Rosetta could not start: 127.0.0.1:${port} is already in use (another Rosetta or another program is listening there): stop it or set PORT to a free port`])
      expect(s.output()).not.toMatch(/Listening|Rosetta is ready/)
      s.cleanup()
    } finally {
      await new Promise((r) => blocker.close(r))
    }
  })

  it('an invalid setting stops the boot before anything listens', async () => {
    const s = await startServer({ env: { NUXT_MAX_BODY_MB: 'lots' }, expectFailure: true })
    expect((s as any).exitCode).toBe(1)
    const records = parsed(s.output())
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ level: 'error' })
    expect(String(records[0]!.msg)).toMatch(/^Rosetta could not start: Invalid settings:\n\s+NUXT_MAX_BODY_MB: /)
    s.cleanup()
  })
})
