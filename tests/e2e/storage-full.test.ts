import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ADMIN_KEY, CLIENT_KEY } from './support/server'
import { bearer, chat, rest, trpc } from './support/admin-api'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'
import { spawnRosetta, type RosettaProcess, mockConfigYaml } from './support/rosetta-process'

/**
 * Issue 21 item 4: the data folder on a small tmpfs that the test fills to the last byte. Mounting
 * needs root (the project's machines and CI run as root); without it the test says so and skips.
 * DuckDB only on purpose (a full local data folder; PostgreSQL keeps nothing there): not in the cluster lane.
 */
const A = bearer(ADMIN_KEY)
const mnt = mkdtempSync(join(tmpdir(), 'rosetta-full-'))
const mountError = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mnt], { stdio: 'pipe' })
    return null
  } catch (e) {
    return ((e as { stderr?: Buffer }).stderr?.toString() || (e as Error).message).trim()
  }
})()
if (mountError) console.warn(`storage-full tests SKIPPED: cannot mount a tmpfs at ${mnt} (needs root): ${mountError}`)

const conf = mkdtempSync(join(tmpdir(), 'rosetta-full-conf-'))
const yaml = join(conf, 'rosetta.yaml')
const filler = join(mnt, 'filler')
let mock: MockUpstream

beforeAll(async () => {
  mock = await startMockUpstream()
  writeFileSync(yaml, mockConfigYaml(mock.url))
})
afterAll(async () => {
  await mock?.close()
  if (!mountError) execFileSync('umount', ['-l', mnt])
  rmSync(mnt, { recursive: true, force: true })
  rmSync(conf, { recursive: true, force: true })
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const env = { NUXT_DB_MIN_FREE_MB: '8' }

/** Writes until the file system refuses: not one byte left. */
function fillDisk(): void {
  const fd = openSync(filler, 'a')
  const chunk = Buffer.alloc(64 * 1024, 1)
  try {
    for (;;) writeSync(fd, chunk)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e
  }
  const small = Buffer.alloc(512, 1)
  try {
    for (;;) writeSync(fd, small)
  } catch {
    /* full */
  } finally {
    closeSync(fd)
  }
}

async function boot(): Promise<RosettaProcess> {
  const p = await spawnRosetta(mnt, { config: yaml, env })
  const ok = await Promise.race([p.ready, sleep(30_000).then(() => false)])
  if (!ok) {
    await p.kill9()
    throw new Error(`boot on the full folder failed:\n${p.output()}`)
  }
  return p
}

const health = async (p: RosettaProcess) => (await rest(p.url, 'GET', '/health/detailed', undefined, A)).body

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const t0 = Date.now()
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`)
    await sleep(200)
  }
}

describe.skipIf(mountError !== null)('a full data folder (tmpfs, 48 MB)', () => {
  it('proxying continues, health and metrics say so, boots on the full folder succeed, the log resumes by itself', async () => {
    let p = await boot()
    const made = await trpc(p.url, 'mutation', 'clientKeys.create', { name: 'before-full' }, A)
    expect(made.status, made.text).toBe(200)
    const apiKey = made.body.result.data.key as string
    expect((await chat(p.url, apiKey, 'oa-text')).status).toBe(200)
    await until('the first log rows', async () => (await health(p)).database.logQueue.written > 0)

    fillDisk()
    // Proxying never stops; each of these is queued for the log in memory.
    for (let i = 0; i < 20; i++) expect((await chat(p.url, i % 2 ? apiKey : CLIENT_KEY, 'oa-text')).status).toBe(200)
    const h = await health(p)
    expect(h.status).toBe('error')
    expect(h.database).toMatchObject({ writable: false, storage: { writable: false, freeMb: 0, minFreeMb: 8 } })
    expect(h.database.error).toMatch(/out of space/)
    expect(h.database.logQueue.depth).toBeGreaterThan(0)
    expect(h.disk.freeMb).toBe(0)
    const metrics = await (await fetch(`${p.url}/metrics`)).text()
    expect(metrics).toMatch(/^rosetta_storage_writable 0$/m)
    expect(metrics).toMatch(/^rosetta_data_disk_free_bytes \d+$/m)
    expect(metrics).toMatch(/^rosetta_log_failed_writes_total \d+$/m)
    // Configuration is read-only, and says why; reading it still works.
    const refused = await trpc(p.url, 'mutation', 'clientKeys.create', { name: 'while-full' }, A)
    expect(refused.status).toBe(503)
    expect(refused.body.error.message).toMatch(/out of space.*configuration is read-only until space returns/)
    expect((await trpc(p.url, 'query', 'providers.list', undefined, A)).status).toBe(200)

    // Boots on the still-full folder: after a kill -9, and after a clean stop, three times each way.
    for (let i = 0; i < 6; i++) {
      if (i % 2 === 0) await p.kill9()
      else expect(await p.stop()).toBe(0)
      p = await boot()
      const names = ((await trpc(p.url, 'query', 'clientKeys.list', undefined, A)).body.result.data as Array<{ name: string }>).map((k) => k.name)
      expect(names).toEqual(expect.arrayContaining(['test', 'before-full']))
      expect((await chat(p.url, apiKey, 'oa-text')).status).toBe(200)
      expect((await chat(p.url, CLIENT_KEY, 'oa-text')).status).toBe(200)
      expect((await health(p)).database.storage.writable).toBe(false)
      expect(p.output()).toMatch(/DATA FOLDER OUT OF SPACE/)
    }

    // Space returns: the log resumes by itself and writes what waited in memory.
    const waiting: string[] = []
    for (let i = 0; i < 5; i++) waiting.push((await chat(p.url, CLIENT_KEY, 'oa-text')).headers.get('x-request-id')!)
    rmSync(filler)
    await until('writable again', async () => (await health(p)).database.writable === true)
    for (const id of waiting) {
      await until(`log row ${id}`, async () => (await trpc(p.url, 'query', 'logs.get', { requestId: id }, A)).status === 200)
    }
    expect((await trpc(p.url, 'mutation', 'clientKeys.create', { name: 'after-full' }, A)).status).toBe(200)
    expect(p.output()).toMatch(/data folder has space again/)
    expect(await p.stop()).toBe(0)
  }, 120_000)
})
