import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { bearer, rest, trpc } from '../e2e/support/admin-api'
import { choose, login, useUi } from './support/browser'

/**
 * Admin key rotation never locks the administrator out, and any ended session (rotated, revoked)
 * lands on the login page saying "Session expired", never on a page of empty numbers. The server runs
 * without NUXT_ADMIN_KEY: the key is generated at boot (read from its output) and can be rotated.
 */
describe('admin key rotation and ended sessions', () => {
  const ui = useUi({ env: { NUXT_ADMIN_KEY: '' } })
  const keys = { admin: '' }

  const openSecurity = async (page: Page) => {
    await page.locator('[data-test="nav-settings"]').click()
    await page.waitForURL(/\/admin\/settings/)
    await page.locator('.el-tabs__item', { hasText: 'Security' }).click()
    await page.locator('[data-test="admin-key-masked"]').waitFor()
  }

  /** The login page, there because a session ended: the message is on it. */
  const expectSessionExpired = async (page: Page, text = 'Session expired') => {
    await page.waitForURL((u) => u.pathname === '/admin/login' && u.searchParams.get('reason') === 'expired', { timeout: 30_000 })
    await expect.poll(() => page.locator('[data-test="login-expired"]').textContent(), { timeout: 10_000 }).toContain(text)
  }

  it('rotating from the UI keeps the new key on screen until dismissed, and the session keeps working', async () => {
    const { page, server } = ui
    keys.admin = /rsk-admin-[A-Za-z0-9_-]{32}/.exec(server.output())![0]
    await login(page, keys.admin)
    await openSecurity(page)
    await page.locator('[data-test="rotate-admin-key"]').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    const secret = page.locator('[data-test="secret-once"]')
    await secret.waitFor()
    const fresh = await secret.inputValue()
    expect(fresh).toMatch(/^rsk-admin-/)
    expect(fresh).not.toBe(keys.admin)
    await expect.poll(() => page.locator('[data-test="secret-note"]').textContent()).toContain('this one stays signed in')
    // Several seconds later (the dashboard and monitors poll meanwhile) it is still there, unchanged.
    await page.waitForTimeout(6000)
    expect(await secret.isVisible()).toBe(true)
    expect(await secret.inputValue()).toBe(fresh)
    expect(new URL(page.url()).pathname).toBe('/admin/settings')
    expect(await page.locator('[data-test="secret-copy"]').isVisible()).toBe(true)
    await page.locator('[data-test="secret-copy"]').click()
    await expect.poll(() => page.locator('.el-message--success').count()).toBeGreaterThan(0)
    await ui.shot('sessions-01-rotated-key-on-screen')
    await page.locator('[data-test="secret-close"]').click()
    await secret.waitFor({ state: 'detached' })

    // The old key is dead, the new one works, and this browser's session still works after a reload.
    expect((await rest(server.url, 'GET', '/v1/admin/security/key-info', undefined, bearer(keys.admin))).status).toBe(401)
    expect((await rest(server.url, 'GET', '/v1/admin/security/key-info', undefined, bearer(fresh))).status).toBe(200)
    keys.admin = fresh
    await expect.poll(() => page.locator('[data-test="admin-key-masked"]').textContent()).toBe(`rsk-…${fresh.slice(-4)}`)
    await page.reload()
    await page.locator('.el-tabs__item', { hasText: 'Security' }).click()
    await expect.poll(() => page.locator('[data-test="admin-key-masked"]').textContent()).toBe(`rsk-…${fresh.slice(-4)}`)
    expect(new URL(page.url()).pathname).toBe('/admin/settings')
    await page.locator('[data-test="nav-dashboard"]').click()
    await page.locator('[data-test="live-rps"]').waitFor()
    await expect.poll(() => page.locator('[data-test="role"]').textContent()).toContain('admin')
    expect(ui.pageErrors).toEqual([])
  })

  it('a rotation made elsewhere ends this admin-key session: the open page goes to the login page saying so', async () => {
    const { page, server } = ui
    // The dashboard is open and polling; the key is rotated with a Bearer call (no session to keep).
    await page.locator('[data-test="live-rps"]').waitFor()
    const r = await rest(server.url, 'POST', '/v1/admin/security/rotate-admin-key', {}, bearer(keys.admin))
    expect(r.status).toBe(200)
    keys.admin = r.body.admin_key
    await expectSessionExpired(page)
    await ui.shot('sessions-02-rotated-elsewhere')
    // Signing in again returns to where the user was.
    await page.locator('[data-test="login-key"]').fill(keys.admin)
    await page.locator('[data-test="login-submit"]').click()
    await page.locator('[data-test="live-rps"]').waitFor()
  })

  it('a revoked session (its admin token disabled) leads to the login page with the message, also on a fresh visit', async () => {
    const { page, server } = ui
    const made = await trpc(server.url, 'mutation', 'security.tokens.create', { name: 'ops-viewer', role: 'viewer' }, bearer(keys.admin))
    expect(made.status).toBe(200)
    await page.locator('[data-test="logout"]').click()
    await page.waitForURL(/\/admin\/login/)
    expect(await page.locator('[data-test="login-expired"]').count()).toBe(0) // signing out is not an expiry
    await login(page, made.body.result.data.token)
    await page.locator('[data-test="nav-logs"]').click()
    await page.waitForURL(/\/admin\/logs/)

    expect((await trpc(server.url, 'mutation', 'security.tokens.update', { name: 'ops-viewer', enabled: false }, bearer(keys.admin))).status).toBe(200)
    // The next call the page makes is refused: reloading the page is one.
    await page.reload()
    await expectSessionExpired(page)
    expect(new URL(page.url()).searchParams.get('next')).toBe('/admin/logs')
    await ui.shot('sessions-03-revoked')

    // The same message in Chinese.
    await choose(page, 'lang', '简体中文')
    await expect.poll(() => page.locator('[data-test="login-expired"]').textContent()).toContain('会话已过期')
    await choose(page, 'lang', 'English')
  })
})
