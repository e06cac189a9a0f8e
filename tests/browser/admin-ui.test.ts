import { describe, expect, it } from 'vitest'
import { ADMIN_KEY } from '../e2e/support/server'
import { choose, login, useUi } from './support/browser'

/**
 * The admin UI end to end, the way a person uses it: sign in, add a provider with keys, add a route,
 * send a request through the gateway from the playground to the mock upstream, and see it counted.
 * Each step leaves a screenshot in tests/browser/artifacts/.
 */
describe('admin UI', () => {
  const ui = useUi()

  it('sends a visitor to the login page and refuses a wrong key', async () => {
    const { page } = ui
    await page.goto('/admin')
    await page.waitForURL(/\/admin\/login/)
    await page.locator('[data-test="login-key"]').fill('not-the-key')
    await page.locator('[data-test="login-submit"]').click()
    await expect.poll(() => page.locator('[data-test="login-error"]').textContent()).toContain('not accepted')
    await ui.shot('01-login')
  })

  it('logs in with the admin key and shows the dashboard', async () => {
    const { page } = ui
    await login(page, ADMIN_KEY)
    await page.locator('[data-test="live-rps"]').waitFor()
    await expect.poll(() => page.locator('[data-test="role"]').textContent()).toContain('admin')
    await ui.shot('02-dashboard-empty')
  })

  it('adds a provider with two keys, lists its pool and tests the connection', async () => {
    const { page, mock } = ui
    await page.locator('[data-test="nav-providers"]').click()
    await page.waitForURL(/\/admin\/providers/)
    await page.locator('.el-empty').waitFor()
    await page.locator('[data-test="provider-new"]').click()
    await page.locator('[data-test="provider-id"]').fill('mock')
    await page.locator('[data-test="provider-base-url"]').fill(`${mock.url}/openai/v1`)
    await page.locator('[data-test="provider-keys"]').fill('sk-ui-key-one-000001\nsk-ui-key-two-000002\n')
    await ui.shot('03-provider-form')
    await page.locator('[data-test="provider-save"]').click()
    await expect.poll(() => page.locator('[data-test="key-counts-mock"]').textContent()).toMatch(/2\s*\/\s*0\s*\/\s*0\s*\(2\)/)

    // The key pool: two keys, masked, both active.
    await page.locator('[data-test="providers-table"] .el-table__expand-icon').first().click()
    const pool = page.locator('[data-test="pool-mock"]')
    await expect.poll(() => pool.locator('.el-table__row').count()).toBe(2)
    const text = (await pool.textContent()) ?? ''
    expect(text).not.toContain('sk-ui-key-one-000001')
    expect(text).toContain('sk-u…0001')
    expect(text).toContain('active')

    // Test connection: the mock's model list through the provider's own auth.
    await page.locator('[data-test="provider-test-mock"]').click()
    await expect.poll(() => page.locator('[data-test="provider-test-result-mock"]').textContent()).toContain('✓ 2')
    const listed = mock.requests.filter((r) => r.path.endsWith('/models'))
    expect(listed.at(-1)?.headers.authorization).toBe('Bearer sk-ui-key-one-000001')
    await ui.shot('04-providers')
  })

  it('adds a route and resolves a model name with the tester', async () => {
    const { page } = ui
    await page.locator('[data-test="nav-models"]').click()
    await page.waitForURL(/\/admin\/models/)
    await page.locator('[data-test="route-new"]').click()
    await page.locator('[data-test="route-name"]').fill('mock-openai')
    await page.locator('[data-test="route-pattern"]').fill('oa-')
    await page.locator('[data-test="route-save"]').click()
    await page.locator('.el-tabs__item', { hasText: 'Routes' }).click()
    await expect.poll(() => page.locator('[data-test="routes-table"]').textContent()).toContain('mock-openai')
    await page.locator('[data-test="tester-model"]').fill('oa-text')
    await page.locator('[data-test="tester-run"]').click()
    await expect.poll(() => page.locator('[data-test="tester-result"]').textContent()).toContain("route 'mock-openai'")
    await ui.shot('05-models-routes')
  })

  it('sends a streamed request through the gateway from the playground', async () => {
    const { page, mock } = ui
    const before = mock.requests.length
    await page.locator('[data-test="nav-playground"]').click()
    await page.waitForURL(/\/admin\/playground/)
    await page.locator('[data-test="play-model"]').fill('oa-text')
    await page.locator('[data-test="play-key"]').fill(ADMIN_KEY)
    await page.locator('[data-test="play-prompt"]').fill('Say hello')
    await page.locator('[data-test="play-send"]').click()
    await expect.poll(() => page.locator('[data-test="play-status"]').textContent()).toContain('HTTP 200')
    await expect.poll(() => page.locator('[data-test="play-output"]').textContent()).toMatch(/\S{3,}/)
    expect(mock.requests.length).toBe(before + 1)
    expect(mock.requests.at(-1)!.body.messages.at(-1).content).toBe('Say hello')
    await ui.shot('06-playground')

    // The same prompt as an Anthropic client: converted on the way up and back.
    await choose(page, 'play-dialect', 'Anthropic Messages')
    await page.locator('[data-test="play-send"]').click()
    await expect.poll(() => mock.requests.length).toBe(before + 2)
    await expect.poll(() => page.locator('[data-test="play-status"]').textContent()).toContain('HTTP 200')
    await expect.poll(() => page.locator('[data-test="play-output"]').textContent()).toMatch(/\S{3,}/)
  })

  it('counts the requests on the dashboard and the monitor', async () => {
    const { page } = ui
    await page.locator('[data-test="nav-dashboard"]').click()
    await page.waitForURL((u) => u.pathname === '/admin' || u.pathname === '/admin/')
    await expect.poll(() => page.locator('[data-test="live-requests"]').textContent(), { timeout: 10_000 }).toContain('2')
    await ui.shot('07-dashboard')
    await page.locator('[data-test="nav-monitor"]').click()
    await expect.poll(() => page.locator('[data-test="endpoints"]').textContent(), { timeout: 10_000 }).toContain('openai-chat')
    await expect.poll(() => page.locator('[data-test="monitor-status"]').textContent()).toMatch(/healthy|degraded/)
    await ui.shot('08-monitor')
  })

  it('exports the configuration from settings', async () => {
    const { page } = ui
    await page.locator('[data-test="nav-settings"]').click()
    await page.locator('[data-test="config-export"]').click()
    const yaml = (await page.locator('[data-test="config-yaml"]').textContent()) ?? ''
    expect(yaml).toContain('id: mock')
    expect(yaml).toContain('sk-u…0001')
    expect(yaml).not.toContain('sk-ui-key-one-000001')
    await ui.shot('09-settings')
  })

  it('switches to Chinese, remembers it across a reload, and back', async () => {
    const { page } = ui
    await choose(page, 'lang', '简体中文')
    await expect.poll(() => page.locator('[data-test="nav-settings"]').textContent()).toBe('设置')
    await page.reload()
    await expect.poll(() => page.locator('[data-test="nav-dashboard"]').textContent()).toBe('仪表盘')
    await page.locator('[data-test="nav-providers"]').click()
    await expect.poll(() => page.locator('[data-test="provider-new"]').textContent()).toContain('添加服务商')
    await ui.shot('10-providers-zh')
    await choose(page, 'lang', 'English')
    await expect.poll(() => page.locator('[data-test="nav-providers"]').textContent()).toBe('Providers')
  })

  it('fits a phone screen with the menu in a drawer', async () => {
    const { page } = ui
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto('/admin/providers')
    await expect.poll(() => page.locator('.el-aside').count()).toBe(0)
    await page.locator('[data-test="menu-toggle"]').click()
    await page.locator('.el-drawer [data-test="nav-models"]').click()
    await page.waitForURL(/\/admin\/models/)
    await ui.shot('11-phone-models')
    await page.setViewportSize({ width: 1366, height: 800 })
  })

  it('logs out', async () => {
    const { page } = ui
    await page.locator('[data-test="logout"]').click()
    await page.waitForURL(/\/admin\/login/)
    await page.goto('/admin/providers')
    await page.waitForURL(/\/admin\/login/)
    expect(ui.pageErrors).toEqual([])
  })
})
