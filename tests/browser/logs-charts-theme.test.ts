import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startMockUpstream, type MockUpstream } from '../e2e/support/mock-upstream'
import { ADMIN_KEY, CLIENT_KEY, mockConfigYaml, startServer, type RunningServer } from '../e2e/support/server'
import { ARTIFACTS, choose, launch, login, sendChats } from './support/browser'
import { seedRequestLog } from './support/seed-log'

/**
 * Issue 17 items 2, 3 and 9 and the route tester in a browser, over 400 seeded requests of the last
 * day (client keys ci/web/batch/alice) plus a little live traffic: the log's client-key and custom
 * range filters, the export download of exactly the filtered rows, key hints in the attempts, the
 * charts and their tooltips, "no price" and "—" on the dashboard, dark mode, and the tester's
 * explanation in Chinese. Screenshots: tests/browser/artifacts/ui3-*.png.
 */
describe('request log, charts and dark mode (issue 17 items 2, 3, 9)', () => {
  let mock: MockUpstream
  let server: RunningServer
  let context: BrowserContext
  let page: Page
  let profile = ''
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `ui3-${name}.png`), fullPage: true })

  beforeAll(async () => {
    mock = await startMockUpstream()
    const config = mockConfigYaml(mock.url)
    const first = await startServer({ config })
    await first.stop('SIGTERM', { keepDir: true })
    await seedRequestLog(join(first.dir, 'rosetta.duckdb'), 400, 1)
    server = await startServer({ config, dir: first.dir })
    // Live requests: oa-text has no price, and its log entry names the upstream key it used.
    await sendChats(server.url, CLIENT_KEY, ['oa-text', 'oa-text', 'an-text'])
    const l = await launch({ baseURL: server.url })
    context = l.context
    profile = l.profile
    page = l.page
    await login(page, ADMIN_KEY)
  }, 180_000)
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await shot(`FAILED-${ctx.task.name.replace(/\W+/g, '-').slice(0, 50)}`).catch(() => undefined)
  })
  afterAll(async () => {
    await context?.close()
    if (profile) rmSync(profile, { recursive: true, force: true })
    await server?.stop()
    await mock?.close()
  })

  /** What the log API itself counts for a filter, asked from the page with its session. */
  const apiTotal = (input: Record<string, unknown>) =>
    page.evaluate(async (i) => {
      const r = await fetch(`/api/trpc/logs.list?input=${encodeURIComponent(JSON.stringify({ ...i, limit: 1 }))}`)
      return ((await r.json()) as { result: { data: { total: number } } }).result.data.total
    }, input)
  const shownTotal = async () => Number((await page.locator('[data-test="logs-total"]').textContent())!.replace(/[^\d]+/g, ' ').trim().split(' ').at(-1))

  it('filters the log by client key and by a custom range, and exports exactly those rows', async () => {
    await page.goto('/admin/logs')
    await page.locator('[data-test="logs-table"] .el-table__row').first().waitFor()
    // A client key name that is only in the log (not a configured key) can be typed.
    await page.locator('[data-test="logs-client-key"]').click()
    await page.keyboard.type('alice')
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^alice$/ }).click()
    const alice = await apiTotal({ since: '24h', clientKey: 'alice' })
    expect(alice).toBeGreaterThan(50)
    await expect.poll(shownTotal).toBe(alice)
    const keys = await page.locator('[data-test="logs-table"] .el-table__row td:last-child').allTextContents()
    expect(new Set(keys.map((k) => k.trim()))).toEqual(new Set(['alice']))

    // Custom range: the 6 hours that ended 6 hours ago.
    const to = new Date(Date.now() - 6 * 3_600_000)
    const from = new Date(to.getTime() - 6 * 3_600_000)
    await choose(page, 'range-select', 'Custom range')
    const pad = (n: number) => String(n).padStart(2, '0')
    const local = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:00`
    const inputs = page.locator('[data-test="range-picker"] input, .range-picker input')
    await inputs.nth(0).fill(local(from))
    await inputs.nth(1).fill(local(to))
    await inputs.nth(1).press('Enter')
    await page.keyboard.press('Escape')
    const fromMin = new Date(Math.floor(from.getTime() / 60_000) * 60_000)
    const toMin = new Date(Math.floor(to.getTime() / 60_000) * 60_000)
    const inRange = await apiTotal({ from: fromMin.toISOString(), to: toMin.toISOString(), clientKey: 'alice' })
    expect(inRange).toBeGreaterThan(5)
    expect(inRange).toBeLessThan(alice)
    await expect.poll(shownTotal).toBe(inRange)
    await shot('logs-filtered')

    // The export link carries the same filters; the download holds exactly the listed rows.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="logs-export-csv"]').click()])
    expect(download.suggestedFilename()).toMatch(/^rosetta-log-\d{8}-\d{4}\.csv$/)
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '')
    const lines = csv.trimEnd().split('\r\n')
    expect(lines[0]!.startsWith('ts,request_id,client_key,')).toBe(true)
    expect(lines.length - 1).toBe(inRange)
    for (const l of lines.slice(1)) {
      expect(l.split(',')[2]).toBe('alice')
      const ts = Date.parse(l.split(',')[0]!)
      expect(ts).toBeGreaterThanOrEqual(fromMin.getTime())
      expect(ts).toBeLessThan(toMin.getTime())
    }
    const [jsonl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="logs-export-jsonl"]').click()])
    const objs = readFileSync((await jsonl.path())!, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { client_key: string })
    expect(objs).toHaveLength(inRange)
  })

  it('names the upstream key of each attempt by its masked hint, never the key', async () => {
    await page.goto('/admin/logs')
    await page.locator('[data-test="logs-model"] input, input[data-test="logs-model"]').first().fill('oa-text')
    await page.locator('[data-test="logs-search"]').click()
    await expect.poll(shownTotal).toBe(2)
    await page.locator('[data-test="logs-table"] .el-table__row').first().click()
    const key = page.locator('[data-test="attempt-key"]').first()
    await key.waitFor()
    const text = (await key.textContent())!
    expect(text).toContain('…')
    expect(text).toMatch(/sk-u…/)
    expect(text).not.toMatch(/sk-upstream-openai-\d/)
    // The cost of an unpriced model reads "no price", not $0.
    expect(await page.locator('[data-test="log-detail"]').textContent()).toContain('no price')
    await shot('log-attempt-key')
    await page.keyboard.press('Escape')
  })

  it('draws the dashboard charts with tooltips, split by model or provider', async () => {
    await page.goto('/admin')
    await page.locator('[data-test="top-models"] .el-table__row').first().waitFor()
    for (const c of ['chart-stacked', 'chart-requests', 'chart-latency', 'chart-tokens']) await page.locator(`[data-test="${c}"] canvas`).waitFor()
    // Unpriced live traffic (oa-text) is "no price" in the top models, not $0.
    await expect.poll(() => page.locator('[data-test="top-models"] [data-test="no-price"]').count()).toBeGreaterThan(0)
    // Hover the requests chart: the tooltip names the series with their values.
    await page.locator('[data-test="chart-requests"] canvas').scrollIntoViewIfNeeded()
    const box = (await page.locator('[data-test="chart-requests"] canvas').boundingBox())!
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5)
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6, { steps: 5 })
    // The tooltip: "Requests 4 Errors 0" (axes and legend are drawn on the canvas, so only it reads so).
    await expect.poll(() => page.evaluate(() => document.body.innerText)).toMatch(/Requests\s*\d+\s*Errors\s*\d+/)
    // The stacked chart by provider: its tooltip lists the seeded providers.
    await page.locator('[data-test="chart-by"] label', { hasText: 'Provider' }).click()
    await page.locator('[data-test="chart-stacked"] canvas').scrollIntoViewIfNeeded()
    const sbox = (await page.locator('[data-test="chart-stacked"] canvas').boundingBox())!
    await page.mouse.move(sbox.x + sbox.width * 0.4, sbox.y + sbox.height * 0.6)
    await page.mouse.move(sbox.x + sbox.width * 0.5, sbox.y + sbox.height * 0.6, { steps: 5 })
    await expect.poll(() => page.evaluate(() => document.body.innerText)).toMatch(/(openai|anthropic|gemini|deepseek)\s*\d+\s*(openai|anthropic|gemini|deepseek)\s*\d+/)
    await shot('dashboard-charts')
    // A range without traffic: no error rate (not 0.0%).
    const then = new Date(Date.now() - 20 * 86_400_000)
    await choose(page, 'range-select', 'Custom range')
    const pad = (n: number) => String(n).padStart(2, '0')
    const local = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:00`
    const inputs = page.locator('.range-picker input')
    await inputs.nth(0).fill(local(then))
    await inputs.nth(1).fill(local(new Date(then.getTime() + 3_600_000)))
    await inputs.nth(1).press('Enter')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('[data-test="stats-requests"]').textContent()).toContain('0')
    await expect.poll(() => page.locator('[data-test="stats-error-rate"]').textContent()).toContain('—')
    expect(await page.locator('[data-test="stats-error-rate"]').textContent()).not.toMatch(/%|NaN/)
  })

  it('switches to dark mode, remembers it, and follows the system when asked to', async () => {
    await page.goto('/admin')
    const isDark = () => page.evaluate(() => document.documentElement.classList.contains('dark'))
    expect(await isDark()).toBe(false)
    await choose(page, 'theme', 'Dark')
    await expect.poll(isDark).toBe(true)
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    expect(bg).toBe('rgb(10, 10, 10)')
    await page.locator('[data-test="top-models"] .el-table__row').first().waitFor()
    await shot('dashboard-dark')
    await page.reload()
    await expect.poll(isDark).toBe(true)
    // System: light or dark as the OS says, live.
    await choose(page, 'theme', 'System')
    await page.emulateMedia({ colorScheme: 'light' })
    await expect.poll(isDark).toBe(false)
    await page.emulateMedia({ colorScheme: 'dark' })
    await expect.poll(isDark).toBe(true)
    await page.emulateMedia({ colorScheme: 'light' })
    await expect.poll(isDark).toBe(false)
    expect(await page.evaluate(() => localStorage.getItem('rosetta.theme'))).toBeNull()
  })

  it("explains the route tester's answer in the chosen language", async () => {
    await page.goto('/admin/models')
    await choose(page, 'lang', '简体中文')
    await page.locator('[data-test="tester-model"]').fill('no-such-model')
    await page.locator('[data-test="tester-run"]').click()
    const result = page.locator('[data-test="tester-result"]')
    await expect.poll(() => result.textContent()).toContain('没有任何目标能处理“no-such-model”')
    expect(await result.textContent()).not.toContain('nothing serves')
    await shot('tester-zh')
    await choose(page, 'lang', 'English')
  })
})
