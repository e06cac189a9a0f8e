import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { startMockUpstream, type MockUpstream } from '../e2e/support/mock-upstream'
import { ADMIN_KEY, mockConfigYaml, startServer, type RunningServer } from '../e2e/support/server'
import { ARTIFACTS, launch, login } from './support/browser'
import { seedRequestLog } from './support/seed-log'
import { rmSync } from 'node:fs'

const ROWS = Number(process.env.UI_SPEED_ROWS ?? 1_000_000)
const BUDGET_MS = Number(process.env.UI_SPEED_BUDGET_MS ?? 1000)

/** Each page, its address and the element that says its data has arrived. */
const PAGES = [
  { name: 'dashboard', nav: 'nav-dashboard', path: '/admin', ready: '[data-test="top-models"] .el-table__row' },
  { name: 'logs', nav: 'nav-logs', path: '/admin/logs', ready: '[data-test="logs-table"] .el-table__row' },
  { name: 'providers', nav: 'nav-providers', path: '/admin/providers', ready: '[data-test="key-counts-mock-openai"]' },
  { name: 'models', nav: 'nav-models', path: '/admin/models', ready: '[data-test="models-table"] .el-table__row' },
  { name: 'client-keys', nav: 'nav-client-keys', path: '/admin/client-keys', ready: '[data-test="ck-table"] .el-table__row' },
  { name: 'monitor', nav: 'nav-monitor', path: '/admin/monitor', ready: '[data-test="endpoints"]' },
  { name: 'settings', nav: 'nav-settings', path: '/admin/settings', ready: '[data-test="mode"]' },
  { name: 'playground', nav: 'nav-playground', path: '/admin/playground', ready: '[data-test="play-send"]' },
]

/**
 * "No page takes more than a second to become usable with 1,000,000 log rows": the server restarts
 * on a database holding a million requests over 30 days, and each page is timed from navigation to
 * its data on screen (best of three visits after a first one that also loads the page's code).
 */
describe(`page speed with ${ROWS.toLocaleString('en')} log rows`, () => {
  let mock: MockUpstream
  let server: RunningServer
  let context: BrowserContext
  let page: Page
  let profile = ''

  beforeAll(async () => {
    mock = await startMockUpstream()
    const config = mockConfigYaml(mock.url)
    const first = await startServer({ config })
    await first.stop('SIGTERM', { keepDir: true })
    await seedRequestLog(join(first.dir, 'rosetta.duckdb'), ROWS)
    server = await startServer({ config, dir: first.dir })
    const l = await launch({ baseURL: server.url })
    context = l.context
    profile = l.profile
    page = context.pages()[0] ?? (await context.newPage())
    await login(page, ADMIN_KEY)
  }, 300_000)

  afterAll(async () => {
    await context?.close()
    if (profile) rmSync(profile, { recursive: true, force: true })
    await server?.stop()
    await mock?.close()
  })

  it('opens every page with its data in under a second', async () => {
    const times: Record<string, number> = {}
    for (const p of PAGES) {
      // Four visits, the first one discarded (it also loads the page's code); the best of the other
      // three counts, so a neighbour's CPU burst on a shared CI machine does not decide the verdict.
      for (let visit = 0; visit < 4; visit++) {
        // Leave through another page so each visit mounts this one afresh, then click its menu entry.
        const away = p.nav === 'nav-playground' ? 'nav-settings' : 'nav-playground'
        await page.locator(`[data-test="${away}"]`).click()
        await page.waitForURL((u) => u.pathname !== p.path)
        const t0 = Date.now()
        await page.locator(`[data-test="${p.nav}"]`).click()
        await page.locator(p.ready).first().waitFor({ timeout: 15_000 })
        const ms = Date.now() - t0
        if (visit > 0) times[p.name] = Math.min(times[p.name] ?? Infinity, ms)
      }
      await page.screenshot({ path: join(ARTIFACTS, `speed-${p.name}.png`) })
    }
    // The API's share of the wait, for whoever reads a failure.
    const api = await page.evaluate(async () => {
      const time = async (path: string) => {
        const t0 = performance.now()
        await fetch(path)
        return Math.round(performance.now() - t0)
      }
      const q = (o: unknown) => encodeURIComponent(JSON.stringify({ 0: o }))
      return {
        'logs.list': await time(`/api/trpc/logs.list?batch=1&input=${q({ since: '24h', limit: 50 })}`),
        'stats.summary': await time(`/api/trpc/stats.summary?batch=1&input=${q({ since: '24h' })}`),
        'providers.list': await time('/api/trpc/providers.list?batch=1&input=%7B%7D'),
      }
    })
    console.log('page ready times (ms):', times, 'api (ms):', api)
    for (const [name, ms] of Object.entries(times)) expect(ms, name).toBeLessThan(BUDGET_MS)
    // And the dashboard really counted the seeded rows: a day of a million over 30 days is ~33,333.
    await page.locator('[data-test="nav-dashboard"]').click()
    await expect.poll(async () => Number(((await page.locator('[data-test="stats-requests"] .value').textContent()) ?? '').replace(/\D+/g, ''))).toBeGreaterThan(30_000)
  })
})
