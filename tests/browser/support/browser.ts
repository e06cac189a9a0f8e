import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { startMockUpstream, type MockUpstream } from '../../e2e/support/mock-upstream'
import { ROOT, startServer, type RunningServer } from '../../e2e/support/server'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const ARTIFACTS = join(ROOT, 'tests/browser/artifacts')

/** Debian's chromium, headless, on a fresh profile, with nothing that reaches beyond loopback. */
export async function launch(opts: { baseURL: string; locale?: string }): Promise<{ context: BrowserContext; profile: string; page: Page }> {
  const profile = mkdtempSync(join(tmpdir(), 'rosetta-chromium-'))
  // A persistent context is how playwright takes a --user-data-dir: a fresh one per run.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    baseURL: opts.baseURL,
    locale: opts.locale ?? 'en-US',
    viewport: { width: 1366, height: 800 },
  })
  // A persistent context opens with one page: the tests drive that one.
  return { context, profile, page: context.pages()[0] ?? (await context.newPage()) }
}

/** Sends one unstreamed chat request per model (a little live traffic for the log and the monitor). */
export async function sendChats(serverUrl: string, clientKey: string, models: string[]): Promise<void> {
  for (const model of models) {
    await fetch(`${serverUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    }).then((r) => r.arrayBuffer())
  }
}

export interface UiHarness {
  mock: MockUpstream
  server: RunningServer
  context: BrowserContext
  page: Page
  /** Console errors and failed page loads seen so far (a broken page shows up here). */
  pageErrors: string[]
  shot(name: string): Promise<void>
}

/** A built server on an empty database, the mock upstream, and one browser page (English, laptop size). */
export function useUi(opts: { config?: (upstream: string) => string; env?: Record<string, string> } = {}) {
  const h = { pageErrors: [] as string[] } as UiHarness
  let profile = ''
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    h.mock = await startMockUpstream()
    h.server = await startServer({ ...(opts.config ? { config: opts.config(h.mock.url) } : {}), env: opts.env })
    const l = await launch({ baseURL: h.server.url })
    h.context = l.context
    profile = l.profile
    h.page = l.page
    h.page.on('pageerror', (e) => h.pageErrors.push(e.message))
    h.shot = async (name) => {
      await h.page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true })
    }
  })
  // A failing step leaves a picture of what the page showed.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && h.page) await h.shot(`FAILED-${ctx.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined)
  })
  afterAll(async () => {
    await h.context?.close()
    if (profile) rmSync(profile, { recursive: true, force: true })
    await h.server?.stop()
    await h.mock?.close()
  })
  return h
}

/** Picks an option of an Element Plus select: open it, click the visible option with this text. */
export async function choose(page: Page, selectTestId: string, optionText: string | RegExp): Promise<void> {
  await page.locator(`[data-test="${selectTestId}"]`).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: optionText }).first().click()
}

/** Logs in through the login page with a key. */
export async function login(page: Page, key: string): Promise<void> {
  await page.goto('/admin/login')
  await page.locator('[data-test="login-key"]').fill(key)
  await page.locator('[data-test="login-submit"]').click()
  await page.waitForURL((u) => u.pathname === '/admin' || u.pathname === '/admin/')
}
