import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ADMIN_KEY } from '../e2e/support/server'
import { bearer, trpc } from '../e2e/support/admin-api'
import { login, useUi } from './support/browser'

/** "Add provider" starts by picking a vendor (issue 18 item 5): the preset fills the form, every field stays editable. */
describe('provider presets in the admin UI', () => {
  const ui = useUi()

  it('searching a vendor and picking its China site fills the form; the saved provider keeps the preset', async () => {
    const { page, mock, server } = ui
    await login(page, ADMIN_KEY)
    await page.goto('/admin/providers')
    await page.locator('[data-test="provider-new"]').click()
    await page.locator('[data-test="provider-preset"]').click()
    await page.keyboard.type('moonshot')
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'Moonshot Kimi (kimi)' }).first().click()
    await expect.poll(() => page.locator('[data-test="provider-base-url"]').inputValue()).toBe('https://api.moonshot.ai/v1')
    expect(await page.locator('[data-test="provider-id"]').inputValue()).toBe('kimi')
    await page.locator('[data-test="provider-preset-site"]').getByText('Mainland China').click()
    await expect.poll(() => page.locator('[data-test="provider-base-url"]').inputValue()).toBe('https://api.moonshot.cn/v1')
    await expect.poll(() => page.locator('[data-test="provider-preset-site"] .el-radio-button.is-active').textContent()).toContain('Mainland China')
    expect(await page.locator('[data-test="provider-preset-notes"]').textContent()).toContain('kimi-k2.5')
    await page.waitForTimeout(400) // the radio's colour transition, for the screenshot only
    await ui.shot('presets-01-kimi')
    // An override, as for any field: the mock stands in for the vendor (tests never call a real one).
    await page.locator('[data-test="provider-base-url"]').fill(`${mock.url}/openai/v1`)
    await page.locator('[data-test="provider-keys"]').fill('sk-ui-kimi-key-000001\n')
    await page.locator('[data-test="provider-save"]').click()
    await expect.poll(() => page.locator('[data-test="key-counts-kimi"]').count()).toBe(1)

    const r = await trpc(server.url, 'query', 'config.export', undefined, bearer(ADMIN_KEY))
    expect(r.status, r.text).toBe(200)
    const kimi = (parse(r.body.result.data.yaml) as { providers: Array<Record<string, unknown>> }).providers.find((p) => p.id === 'kimi')
    expect(kimi).toMatchObject({ id: 'kimi', preset: 'kimi', base_url: `${mock.url}/openai/v1` })
    expect(kimi).not.toHaveProperty('type')
    expect(ui.pageErrors).toEqual([])
  })
})
