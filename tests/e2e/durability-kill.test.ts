import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ADMIN_KEY, CLIENT_KEY } from './support/server'
import { bearer, chat, trpc } from './support/admin-api'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'
import { spawnRosetta, type RosettaProcess, mockConfigYaml } from './support/rosetta-process'

/**
 * Issue 21: a real kill -9 of the built server at random moments (during the first boot's migrations,
 * right after the first boot, under steady request and admin load), each followed by a boot that
 * must succeed and keep every configuration write the admin API acknowledged before the kill.
 * DuckDB only on purpose (recovery of its file and WAL): not in `npm run test:e2e:cluster`.
 */
const A = bearer(ADMIN_KEY)
const dirs: string[] = []
let mock: MockUpstream
let yaml: string

beforeAll(async () => {
  mock = await startMockUpstream()
  const d = folder()
  yaml = join(d, 'rosetta.yaml')
  writeFileSync(yaml, mockConfigYaml(mock.url))
})
afterAll(async () => {
  await mock?.close()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function folder(): string {
  const d = mkdtempSync(join(tmpdir(), 'rosetta-kill-'))
  dirs.push(d)
  return d
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const rand = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo))

/** Everything the admin API acknowledged: it must all be there after any kill. */
interface Acknowledged {
  providers: Map<string, number> // id → keys
  clientKeys: Map<string, string> // name → secret
}

async function bootOrFail(dir: string): Promise<RosettaProcess> {
  const p = await spawnRosetta(dir, { config: yaml })
  const ok = await Promise.race([p.ready, sleep(30_000).then(() => false)])
  if (!ok) {
    await p.kill9()
    throw new Error(`boot after kill -9 failed in ${dir}:\n${p.output()}`)
  }
  return p
}

async function expectKept(p: RosettaProcess, ack: Acknowledged): Promise<void> {
  const providers = (await trpc(p.url, 'query', 'providers.list', undefined, A)).body.result.data as Array<{ id: string; keyCounts: { total: number } }>
  for (const [id, keys] of ack.providers) expect(providers.find((x) => x.id === id)?.keyCounts.total, `provider ${id}`).toBe(keys)
  const names = ((await trpc(p.url, 'query', 'clientKeys.list', undefined, A)).body.result.data as Array<{ name: string }>).map((k) => k.name)
  for (const name of ack.clientKeys.keys()) expect(names, `client key ${name}`).toContain(name)
  // The file's configuration is served, and an API-made client key still opens the door.
  expect((await chat(p.url, CLIENT_KEY, 'oa-text')).status).toBe(200)
  const last = [...ack.clientKeys.values()].at(-1)
  if (last) expect((await chat(p.url, last, 'oa-text')).status).toBe(200)
}

/** Configuration writes, each recorded only once acknowledged (a kill may cut one short). */
async function writeConfig(url: string, ack: Acknowledged, tag: string): Promise<void> {
  const id = `kill-${tag}`
  const keys = [`sk-${tag}-a`, `sk-${tag}-b`]
  const r = await trpc(url, 'mutation', 'providers.create', { id, type: 'openai', base_url: `${mock.url}/openai/v1`, keys }, A)
  if (r.status === 200) ack.providers.set(id, keys.length)
  const k = await trpc(url, 'mutation', 'clientKeys.create', { name: `ck-${tag}` }, A)
  if (k.status === 200) ack.clientKeys.set(`ck-${tag}`, k.body.result.data.key)
}

/** Chat requests and admin writes in parallel until the process dies. */
function load(p: RosettaProcess, ack: Acknowledged, tag: string): Promise<void> {
  let alive = true
  void p.exited.then(() => (alive = false))
  const chats = Array.from({ length: 6 }, async () => {
    while (alive) await chat(p.url, CLIENT_KEY, 'oa-text').catch(() => undefined)
  })
  const admin = (async () => {
    for (let i = 0; alive; i++) await writeConfig(p.url, ack, `${tag}-${i}`).catch(() => undefined)
  })()
  return Promise.all([...chats, admin]).then(() => undefined)
}

describe('kill -9 at random moments', () => {
  let kills = 0
  let recovered = 0
  // Kills that left a WAL behind for the next boot to replay: the case the failure came from.
  let leftWal = 0
  const walAfterKill = (dir: string) => {
    const wal = join(dir, 'rosetta.duckdb.wal')
    if (existsSync(wal) && statSync(wal).size > 0) leftWal++
  }
  const note = (p: RosettaProcess) => {
    if (p.output().includes('database recovered at boot')) recovered++
  }

  it('during the first boot (migrations) and right after it: the next boot succeeds', async () => {
    for (let i = 0; i < 8; i++) {
      const dir = folder()
      const first = await spawnRosetta(dir, { config: yaml })
      if (i % 2 === 0) {
        // During migrations: as soon as the database file exists, within the next few ms.
        const t0 = Date.now()
        while (!existsSync(join(dir, 'rosetta.duckdb')) && Date.now() - t0 < 20_000) await sleep(2)
        await sleep(rand(0, 120))
      } else {
        // Right after the first boot.
        await first.ready
        await sleep(rand(0, 300))
      }
      await first.kill9()
      kills++
      walAfterKill(dir)
      const again = await bootOrFail(dir)
      note(again)
      await expectKept(again, { providers: new Map([['mock-openai', 1]]), clientKeys: new Map() })
      await again.kill9()
      kills++
      walAfterKill(dir)
      const third = await bootOrFail(dir)
      note(third)
      await third.stop()
    }
  }, 120_000)

  it('under steady request and configuration load: every acknowledged configuration write survives', async () => {
    const dir = folder()
    const ack: Acknowledged = { providers: new Map([['mock-openai', 1]]), clientKeys: new Map() }
    for (let round = 0; round < 6; round++) {
      const p = await bootOrFail(dir)
      note(p)
      await expectKept(p, ack)
      await writeConfig(p.url, ack, `r${round}`)
      const running = load(p, ack, `r${round}`)
      await sleep(rand(300, 1500))
      await p.kill9()
      kills++
      walAfterKill(dir)
      await running
    }
    const last = await bootOrFail(dir)
    note(last)
    await expectKept(last, ack)
    expect(ack.clientKeys.size).toBeGreaterThanOrEqual(6)
    expect(await last.stop()).toBe(0)
    // Nothing had to be thrown away: every WAL replayed.
    expect(readdirSync(dir).filter((f) => f.includes('damaged'))).toEqual([])
  }, 120_000)

  afterAll(() => {
    console.log(`durability: ${kills} kill -9 (${leftWal} left a WAL to replay), every following boot succeeded; ${recovered} boots replayed a WAL DuckDB refused at open`)
    expect(kills).toBeGreaterThanOrEqual(20)
  })
})
