import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import en from '../../locales/en'
import { startMockUpstream, type MockUpstream } from '../e2e/support/mock-upstream'
import { ADMIN_KEY, CLIENT_KEY, mockConfigYaml, startServer, type RunningServer } from '../e2e/support/server'
import { ARTIFACTS, launch, login, sendChats } from './support/browser'
import { seedRequestLog } from './support/seed-log'

/**
 * Every admin page in both languages, on a laptop (1440×900) and a phone (390×844), over seeded
 * traffic. Per page: no NaN/undefined/null text, no catalog key on screen, no page-wide horizontal
 * scroll, each table's identifying (first data) column at least 80 px wide, axe-core finds nothing
 * serious or critical, no console errors. Then once more per size in the dark theme (axe checks its
 * contrast). A screenshot of each lands in tests/browser/artifacts/walk/.
 */
const PAGES = [
  { name: 'dashboard', path: '/admin', ready: '[data-test="top-models"] .el-table__row' },
  { name: 'logs', path: '/admin/logs', ready: '[data-test="logs-table"] .el-table__row' },
  { name: 'providers', path: '/admin/providers', ready: '[data-test="key-counts-mock-openai"]' },
  { name: 'models', path: '/admin/models', ready: '[data-test="models-table"] .el-table__row' },
  { name: 'client-keys', path: '/admin/client-keys', ready: '[data-test="ck-table"] .el-table__row' },
  { name: 'monitor', path: '/admin/monitor', ready: '[data-test="endpoints"]' },
  { name: 'settings', path: '/admin/settings', ready: '[data-test="mode"]' },
  { name: 'playground', path: '/admin/playground', ready: '[data-test="play-send"]' },
]
const SIZES = [
  { name: 'laptop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
]
const LANGS = ['en', 'zh-CN'] as const

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
// A catalog key on screen reads like `nav.menu`: any of the catalogs' namespaces followed by a dot.
const NAMESPACES = [...new Set(Object.keys(en).map((k) => k.split('.')[0]!))]
const KEY_ON_SCREEN = new RegExp(`\\b(?:${NAMESPACES.join('|')})\\.[a-zA-Z_]+\\b`)
const SHOTS = join(ARTIFACTS, 'walk')

describe('walk of every admin page, both languages, laptop and phone', () => {
  let mock: MockUpstream
  let server: RunningServer
  let context: BrowserContext
  let page: Page
  let profile = ''
  const consoleErrors: string[] = []

  beforeAll(async () => {
    rmSync(SHOTS, { recursive: true, force: true })
    mkdirSync(SHOTS, { recursive: true })
    mock = await startMockUpstream()
    const config = mockConfigYaml(mock.url)
    const first = await startServer({ config })
    await first.stop('SIGTERM', { keepDir: true })
    await seedRequestLog(join(first.dir, 'rosetta.duckdb'), 400, 1)
    server = await startServer({ config, dir: first.dir })
    // A little live traffic too, so the key pool and monitor have something of their own.
    await sendChats(server.url, CLIENT_KEY, ['oa-text', 'an-text', 'gm-text', 'oa-e429-x'])
    const l = await launch({ baseURL: server.url })
    context = l.context
    profile = l.profile
    page = l.page
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text())
    })
    page.on('pageerror', (e) => consoleErrors.push(e.message))
    await login(page, ADMIN_KEY)
  }, 180_000)

  afterAll(async () => {
    await context?.close()
    if (profile) rmSync(profile, { recursive: true, force: true })
    await server?.stop()
    await mock?.close()
  })

  async function check(where: string): Promise<string[]> {
    const problems: string[] = []
    const found = await page.evaluate(() => {
      const text = document.body.innerText
      const root = document.documentElement
      const narrowCols: string[] = []
      for (const table of document.querySelectorAll<HTMLElement>('.el-table')) {
        if (!table.offsetParent) continue // in a hidden tab
        const th = [...table.querySelectorAll<HTMLElement>('.el-table__header th')].find(
          (c) => !c.classList.contains('el-table__expand-column') && !c.classList.contains('el-table-column--selection'),
        )
        if (th && th.getBoundingClientRect().width < 80) narrowCols.push(`${table.dataset.test ?? 'table'}: "${th.innerText}" ${Math.round(th.getBoundingClientRect().width)} px`)
      }
      // The header's controls (menu, theme, language, role, log out) all on screen: a phone header
      // cut them off once without the page scrolling sideways (the header clips its overflow).
      const clipped = [...document.querySelectorAll<HTMLElement>('.header > *')]
        .filter((el) => {
          const r = el.getBoundingClientRect()
          return r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1)
        })
        .map((el) => el.dataset.test ?? el.className)
      return { text, overflow: root.scrollWidth - window.innerWidth, narrowCols, clipped, lang: root.lang, title: document.title }
    })
    const bad = found.text.match(/\b(NaN|undefined|null)\b/)
    if (bad) problems.push(`${where}: shows "${bad[0]}" (…${found.text.slice(Math.max(0, bad.index! - 40), bad.index! + 20).replace(/\s+/g, ' ')}…)`)
    const key = found.text.match(KEY_ON_SCREEN)
    if (key) problems.push(`${where}: untranslated key "${key[0]}"`)
    if (found.overflow > 1) problems.push(`${where}: page scrolls sideways by ${found.overflow} px`)
    for (const c of found.narrowCols) problems.push(`${where}: identifying column under 80 px: ${c}`)
    for (const c of found.clipped) problems.push(`${where}: header control off screen: ${c}`)
    if (!found.lang) problems.push(`${where}: <html lang> empty`)
    if (!found.title) problems.push(`${where}: no <title>`)

    await page.addScriptTag({ content: AXE_SOURCE })
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[]; html: string }[] }[] }> } }).axe
      const r = await axe.run(document, { resultTypes: ['violations'] })
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}) at ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`).join(', ')}`)
    })
    for (const v of violations) problems.push(`${where}: axe ${v}`)
    if (consoleErrors.length) problems.push(...consoleErrors.splice(0).map((e) => `${where}: console error: ${e}`))
    return problems
  }

  // Every language and size in the light theme, and the dark theme once per size (its contrast is
  // the theme's, not the language's).
  const RUNS = [
    ...LANGS.flatMap((lang) => SIZES.map((size) => ({ lang, size, theme: 'light' as const }))),
    { lang: 'en' as const, size: SIZES[0]!, theme: 'dark' as const },
    { lang: 'zh-CN' as const, size: SIZES[1]!, theme: 'dark' as const },
  ]
  for (const { lang, size, theme } of RUNS) {
    it(`${lang} at ${size.width} px${theme === 'dark' ? ', dark' : ''}`, async () => {
      await page.setViewportSize({ width: size.width, height: size.height })
      await page.evaluate(([l, th]) => {
        localStorage.setItem('rosetta.lang', l)
        localStorage.setItem('rosetta.theme', th)
      }, [lang, theme] as const)
      const problems: string[] = []
      const tag = `${lang}-${size.name}${theme === 'dark' ? '-dark' : ''}`
      for (const p of PAGES) {
        await page.goto(p.path)
        await page.locator(p.ready).first().waitFor({ timeout: 15_000 })
        // Let polled panels and charts settle once before reading the page.
        await page.waitForTimeout(400)
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang)
        expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(theme === 'dark')
        await page.screenshot({ path: join(SHOTS, `${p.name}-${tag}.png`), fullPage: true })
        problems.push(...(await check(`${p.name} ${lang} ${size.width}px ${theme}`)))
      }
      if (size.width < 768) {
        // The phone menu opens from its (named) toggle and every page is reachable from it.
        await page.locator('[data-test="menu-toggle"]').click()
        await page.locator('.el-drawer [data-test="nav-providers"]').waitFor()
        await page.screenshot({ path: join(SHOTS, `menu-${tag}.png`) })
        problems.push(...(await check(`menu ${lang} ${size.width}px`)))
        await page.keyboard.press('Escape')
      }
      expect(problems).toEqual([])
    }, 120_000)
  }
})
