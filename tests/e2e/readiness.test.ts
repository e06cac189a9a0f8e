import { describe, expect, it } from 'vitest'
import { ADMIN_KEY, CLIENT_KEY, mockConfigYaml, startServer, type RunningServer } from './support/server'
import { useMockUpstream } from './support/setup'
import { bearer, chat, rest, trpc } from './support/admin-api'

/**
 * /health is readiness: the moment it first answers 200, an admin call and a client call both
 * succeed. Each boot is watched from spawn: /health is polled back to back (no pause), and the calls
 * go out as soon as the first 200 arrives.
 */
const up = useMockUpstream()

interface Boot {
  /** Every /health answer before the first 200 (status and body). */
  before: Array<{ status: number; body: any }>
  ready: { status: number; body: any }
}

/** Polls /health as fast as the loop turns until it answers 200 (or the deadline passes). */
async function watchBoot(s: RunningServer, timeoutMs = 60_000): Promise<Boot> {
  const before: Boot['before'] = []
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    let r: Response
    try {
      r = await fetch(`${s.url}/health`)
    } catch {
      await new Promise((r) => setTimeout(r, 5)) // not listening yet: do not spin the CPU the boot needs
      continue
    }
    const body = await r.json().catch(() => null)
    if (r.status === 200) return { before, ready: { status: r.status, body } }
    before.push({ status: r.status, body })
  }
  throw new Error(`/health never answered 200:\n${s.output()}`)
}

/** What must work the moment /health is 200: the admin API (REST and tRPC) and a proxied chat. */
async function callsRightAway(url: string, adminKey: string) {
  const [stats, providers, client] = await Promise.all([
    rest(url, 'GET', '/v1/admin/stats?since=1h', undefined, bearer(adminKey)),
    trpc(url, 'query', 'providers.list', undefined, bearer(adminKey)),
    chat(url, CLIENT_KEY, 'oa-text'),
  ])
  return { stats: stats.status, providers: providers.status, client: client.status, clientText: client.body?.choices?.[0]?.message?.content }
}

describe('ready means ready', () => {
  const boots: Boot[] = []

  it('an admin call and a client call made the moment /health first answers 200 both succeed, boot after boot', async () => {
    for (let i = 0; i < 3; i++) {
      const s = await startServer({ config: mockConfigYaml(up.mock.url), waitReady: false })
      try {
        const boot = await watchBoot(s)
        const calls = await callsRightAway(s.url, ADMIN_KEY)
        boots.push(boot)
        expect(calls, `boot ${i + 1}`).toMatchObject({ stats: 200, providers: 200, client: 200 })
        expect(typeof calls.clientText).toBe('string')
        expect(boot.ready.body).toMatchObject({ status: 'ok' })
      } finally {
        expect(await s.stop()).toBe(0)
      }
    }
  })

  it('before that it answers 503 saying what is pending', () => {
    const early = boots.flatMap((b) => b.before)
    // Nitro listens while DuckDB is still opening: the poll above catches the server mid-boot.
    expect(early.length).toBeGreaterThan(0)
    for (const r of early) {
      expect(r.status).toBe(503)
      expect(r.body.status).toBe('starting')
      expect(Array.isArray(r.body.pending) && r.body.pending.length).toBeGreaterThan(0)
    }
  })

  it('also with an admin key stored in the database (no NUXT_ADMIN_KEY): the restarted server accepts it at once', async () => {
    const first = await startServer({ config: mockConfigYaml(up.mock.url), env: { NUXT_ADMIN_KEY: '' } })
    const key = /rsk-admin-[A-Za-z0-9_-]{32}/.exec(first.output())?.[0]
    expect(key).toBeTruthy()
    expect(await first.stop('SIGTERM', { keepDir: true })).toBe(0)
    const again = await startServer({ config: mockConfigYaml(up.mock.url), env: { NUXT_ADMIN_KEY: '' }, dir: first.dir, waitReady: false })
    try {
      await watchBoot(again)
      expect(await callsRightAway(again.url, key!)).toMatchObject({ stats: 200, providers: 200, client: 200 })
    } finally {
      expect(await again.stop()).toBe(0)
    }
  })

  it('/health/live answers 200 whenever the process serves HTTP', async () => {
    const s = await startServer({ config: mockConfigYaml(up.mock.url) })
    try {
      const r = await fetch(`${s.url}/health/live`)
      expect(r.status).toBe(200)
      expect(await r.json()).toMatchObject({ status: 'alive' })
    } finally {
      await s.stop()
    }
  })
})
