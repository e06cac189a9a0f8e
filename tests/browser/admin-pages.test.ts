import { describe, expect, it } from 'vitest'
import OpenAI from 'openai'
import { ADMIN_KEY, mockConfigYaml } from '../e2e/support/server'
import { MOCK_MODEL_LISTS } from '../e2e/support/mock-upstream'
import { login, useUi } from './support/browser'

/**
 * Issue 17 items 4–7 in a browser, on the e2e mock configuration: per-key tests, the model hub, the
 * integration panel of a new client key, the run-mode banner and confirmations, and the playground's
 * error and stopped states. Screenshots land in tests/browser/artifacts/ (pages-*.png).
 */
describe('admin pages (issue 17 items 4–7)', () => {
  const ui = useUi({ config: (upstream) => mockConfigYaml(upstream) })
  const state = { secret: '' }

  /** A tRPC call from the page, with the page's own session cookie. */
  async function pageTrpc(path: string, input: unknown): Promise<{ status: number; body: any }> {
    return ui.page.evaluate(
      async ([p, i]) => {
        const r = await fetch(`/api/trpc/${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(i) })
        return { status: r.status, body: await r.json() }
      },
      [path, input] as const,
    )
  }

  it('tests each key and all keys, with response times and summed failures', async () => {
    const { page, mock } = ui
    await login(page, ADMIN_KEY)
    await page.locator('[data-test="nav-providers"]').click()
    await page.locator('[data-test="key-counts-mock-openai"]').waitFor()
    await page.locator('[data-test="providers-table"] .el-table__row', { hasText: 'mock-openai' }).first().locator('.el-table__expand-icon').click()
    const pool = page.locator('[data-test="pool-mock-openai"]')
    await expect.poll(() => pool.locator('.el-table__row').count()).toBe(2)
    // No NaN: failures are a per-kind map, shown as their sum.
    expect(await pool.textContent()).not.toContain('NaN')
    expect(await pool.locator('[data-test^="key-failures-"]').first().textContent()).toBe('✗0')

    const secondTest = pool.locator('[data-test^="key-test-"]:not([data-test*="result"])').nth(1)
    const secondId = (await secondTest.getAttribute('data-test'))!.replace('key-test-', '')
    const before = mock.requests.length
    await secondTest.click()
    const result = page.locator(`[data-test="key-test-result-${secondId}"]`)
    await expect.poll(() => result.textContent()).toMatch(new RegExp(`✓\\s*${MOCK_MODEL_LISTS.openai.length} models · \\d+ ms`))
    // That key, and only that key, asked the provider.
    expect(mock.requests.length).toBe(before + 1)
    expect(mock.requests.at(-1)!.headers.authorization).toBe('Bearer sk-upstream-openai-2')

    await pool.locator('[data-test="keys-test-all"]').click()
    await expect.poll(() => mock.requests.length).toBe(before + 3)
    await expect.poll(() => pool.locator('[data-test^="key-test-result-"]').count()).toBe(2)
    expect(mock.requests.slice(-2).map((r) => r.headers.authorization)).toEqual(['Bearer sk-upstream-openai-1', 'Bearer sk-upstream-openai-2'])
    await ui.shot('pages-01-key-tests')
  })

  it('shows the model hub: names, where they route, prices or "no price"', async () => {
    const { page } = ui
    await page.locator('[data-test="nav-model-hub"]').click()
    await page.waitForURL(/\/admin\/model-hub/)
    const table = page.locator('[data-test="hub-table"]')
    await expect.poll(() => table.textContent()).toContain('smart')
    expect(await page.locator('[data-test="hub-target-smart"]').allTextContents()).toEqual([expect.stringContaining('mock-anthropic-err/an-e500'), expect.stringContaining('mock-gemini/gm-text')])
    expect(await page.locator('[data-test="hub-target-oa-gpt-listed"]').textContent()).toContain('mock-openai/oa-gpt-listed')
    expect(await page.locator('[data-test="hub-price-an-claude-listed"]').textContent()).toBe('no price')
    expect(await table.textContent()).not.toContain('unrouted-model')
    await page.locator('[data-test="hub-filter"] input, input[data-test="hub-filter"]').first().fill('claude')
    await expect.poll(() => table.locator('.el-table__row').count()).toBe(1)
    await ui.shot('pages-02-model-hub')
  })

  it('after creating a client key, shows snippets that reach this server with that key', async () => {
    const { page, server } = ui
    await page.locator('[data-test="nav-client-keys"]').click()
    await page.locator('[data-test="ck-new"]').click()
    await page.locator('[data-test="ck-name"]').fill('sdk-app')
    await page.locator('[data-test="ck-models"]').fill('oa-text\noa-slow\noa-crawl')
    await page.locator('[data-test="ck-save"]').click()
    await page.locator('[data-test="secret-once"]').waitFor()
    state.secret = await page.locator('[data-test="secret-once"]').inputValue()
    const root = server.url.replace(/\/$/, '')
    expect(await page.locator('[data-test="integration-base-url"]').textContent()).toBe(root)
    const snippet = async (id: string) => (await page.locator(`[data-test="snippet-${id}"]`).textContent()) ?? ''
    expect(await snippet('openai')).toContain(`baseURL: '${root}/v1', apiKey: '${state.secret}'`)
    expect(await snippet('anthropic')).toContain(`baseURL: '${root}', apiKey: '${state.secret}'`)
    expect(await snippet('gemini')).toContain(`apiKey: '${state.secret}', httpOptions: { baseUrl: '${root}' }`)
    expect(await snippet('curl')).toContain(`curl ${root}/v1/chat/completions`)
    expect(await snippet('curl')).toContain(`Authorization: Bearer ${state.secret}`)
    expect(await snippet('claude-code')).toContain(`ANTHROPIC_BASE_URL=${root}\nexport ANTHROPIC_AUTH_TOKEN=${state.secret}`)
    expect(await snippet('codex')).toContain(`base_url = "${root}/v1"`)
    expect(await snippet('codex')).toContain(`ROSETTA_API_KEY=${state.secret}`)
    expect(await snippet('gemini-cli')).toContain(`GOOGLE_GEMINI_BASE_URL=${root}\nexport GEMINI_API_KEY=${state.secret}`)
    // The snippets name a model this key may call (its first allowed one).
    expect(await snippet('curl')).toContain('"model":"oa-text"')
    await ui.shot('pages-03-integration')

    // The OpenAI snippet's values really work: the SDK, pointed the way it says, gets an answer.
    const code = await snippet('openai')
    const baseURL = /baseURL: '([^']+)'/.exec(code)![1]
    const apiKey = /apiKey: '([^']+)'/.exec(code)![1]
    const model = /model: '([^']+)'/.exec(code)![1]!
    const oa = new OpenAI({ baseURL, apiKey, maxRetries: 0 })
    const r = await oa.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] })
    expect(r.choices[0]!.message.content).toMatch(/\S/)
    await page.locator('[data-test="secret-close"]').click()
  })

  it('asks before entering maintenance and before removing a price; shows a banner on every page', async () => {
    const { page } = ui
    await page.locator('[data-test="nav-settings"]').click()
    await page.locator('[data-test="mode"] .el-radio-button', { hasText: 'maintenance' }).click()
    await page.locator('[data-test="mode-apply"]').click()
    const box = page.locator('.el-message-box')
    await box.waitFor()
    expect(await box.textContent()).toContain('refuses every API request')
    await ui.shot('pages-04-maintenance-confirm')
    await box.locator('button', { hasText: 'Cancel' }).click()
    // Cancelled: still normal, no banner.
    const mode = await page.evaluate(async () => (await (await fetch('/api/trpc/ops.mode.get')).json()).result.data.mode)
    expect(mode).toBe('normal')
    expect(await page.locator('[data-test^="mode-banner-"]').count()).toBe(0)

    await page.locator('[data-test="mode-apply"]').click()
    await box.waitFor()
    await box.locator('button', { hasText: 'Enter maintenance' }).click()
    await page.locator('[data-test="mode-banner-maintenance"]').waitFor()
    // The banner follows to every page.
    for (const nav of ['providers', 'logs', 'playground']) {
      await page.locator(`[data-test="nav-${nav}"]`).click()
      await page.waitForURL(new RegExp(`/admin/${nav}`))
      await page.locator('[data-test="mode-banner-maintenance"]').waitFor()
    }
    await ui.shot('pages-05-maintenance-banner')
    // And the gateway really refuses meanwhile.
    const refused = await fetch(`${ui.server.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${state.secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'oa-text', messages: [{ role: 'user', content: 'x' }] }) })
    expect(refused.status).toBe(503)

    // Back to normal: no confirmation needed, the banner goes.
    await page.locator('[data-test="nav-settings"]').click()
    await page.locator('[data-test="mode"] .el-radio-button', { hasText: 'normal' }).click()
    await page.locator('[data-test="mode-apply"]').click()
    await expect.poll(() => page.locator('[data-test^="mode-banner-"]').count()).toBe(0)

    // Removing a price asks first; cancelling keeps it.
    await page.locator('.el-tabs__item', { hasText: 'Logs and prices' }).click()
    const field = page.locator('[data-test="price-filter"] input, input[data-test="price-filter"]').first()
    await field.fill('gpt-4.1-nano')
    const row = page.locator('[data-test="price-table"] .el-table__row', { hasText: 'gpt-4.1-nano' }).first()
    await row.waitFor()
    await row.locator('[data-test^="price-remove-"]').click()
    await box.waitFor()
    expect(await box.textContent()).toContain('gpt-4.1-nano')
    await box.locator('button', { hasText: 'Cancel' }).click()
    await page.waitForTimeout(300)
    expect(await page.locator('[data-test="price-table"]').textContent()).toContain('gpt-4.1-nano')
  })

  it('shows the upstream’s refusal in the playground, and a stopped state', async () => {
    const { page } = ui
    // A key allowed one model only: any other model is refused with 403 and a message.
    const made = await pageTrpc('clientKeys.create', { name: 'narrow', models: ['oa-text'] })
    expect(made.status).toBe(200)
    const narrow = made.body.result.data.key as string
    const direct = await fetch(`${ui.server.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${narrow}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'oa-other', messages: [{ role: 'user', content: 'x' }] }) })
    expect(direct.status).toBe(403)
    const message = ((await direct.json()) as any).error.message as string
    expect(message.length).toBeGreaterThan(5)

    await page.locator('[data-test="nav-playground"]').click()
    await page.waitForURL(/\/admin\/playground/)
    await page.locator('[data-test="play-model"] input, input[data-test="play-model"]').first().fill('oa-other')
    await page.locator('[data-test="play-key"]').fill(narrow)
    await page.locator('[data-test="play-prompt"]').fill('hello?')
    await page.locator('[data-test="play-send"]').click()
    const error = page.locator('[data-test="play-error"]')
    await error.waitFor()
    expect(await error.textContent()).toContain('HTTP 403')
    expect(await error.textContent()).toContain(message)
    await ui.shot('pages-06-playground-403')

    // A slow stream, stopped by the user: a "stopped" state, and the log says cancelled.
    await page.locator('[data-test="play-model"] input, input[data-test="play-model"]').first().fill('oa-crawl')
    await page.locator('[data-test="play-key"]').fill(state.secret)
    await page.locator('[data-test="play-send"]').click()
    await expect.poll(() => page.locator('[data-test="play-output"]').textContent()).toMatch(/\S/)
    await page.locator('[data-test="play-stop"]').click()
    await page.locator('[data-test="play-stopped"]').waitFor()
    expect(await page.locator('[data-test="play-error"]').count()).toBe(0)
    await ui.shot('pages-07-playground-stopped')
    await expect
      .poll(
        async () => {
          const r = await page.evaluate(async () => (await fetch(`/api/trpc/logs.list?input=${encodeURIComponent(JSON.stringify({ model: 'oa-crawl' }))}`)).json())
          return r.result?.data?.items?.[0]?.errorKind ?? null
        },
        { timeout: 10_000 },
      )
      .toBe('cancelled')
  })

  it('shows a client key’s use per day when its row is expanded', async () => {
    const { page } = ui
    // The previous test waited for the log to hold the cancelled request: sdk-app's rows are written.
    await page.locator('[data-test="nav-client-keys"]').click()
    const row = page.locator('[data-test="ck-table"] .el-table__row', { hasText: 'sdk-app' }).first()
    await row.locator('.el-table__expand-icon').click()
    const usage = page.locator('[data-test="ck-usage-sdk-app"]')
    // One row for today, counting what the request log holds for this key (the SDK call, the stopped stream…).
    await expect.poll(() => usage.locator('.el-table__row').count()).toBe(1)
    const total = await page.evaluate(async () => (await (await fetch(`/api/trpc/logs.list?input=${encodeURIComponent(JSON.stringify({ clientKey: 'sdk-app', since: '7d' }))}`)).json()).result.data.total)
    expect(total).toBeGreaterThanOrEqual(2)
    expect((await usage.locator('.el-table__row td').nth(1).textContent())?.trim()).toBe(String(total))
    await ui.shot('pages-08-client-key-usage')

    // Requests refused by a limit are counted apart from the requests that went through.
    const made = await pageTrpc('clientKeys.create', { name: 'one-a-minute', rpm: 1 })
    const key = made.body.result.data.key as string
    const send = () => fetch(`${ui.server.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'oa-text', messages: [{ role: 'user', content: 'x' }] }) })
    expect((await send()).status).toBe(200)
    expect((await send()).status).toBe(429)
    await page.reload()
    const limited = page.locator('[data-test="ck-table"] .el-table__row', { hasText: 'one-a-minute' }).first()
    await expect.poll(() => limited.textContent()).toContain('1 req')
    expect(await page.locator('[data-test="ck-refused-one-a-minute"]').textContent()).toContain('1 refused')
    expect(ui.pageErrors).toEqual([])
  })
})
