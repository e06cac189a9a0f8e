import { describe, expect, it } from 'vitest'
import { useUi } from './support/browser'

/** /docs renders in a real browser with no network beyond the server itself. */
const h = useUi()

describe('API docs', () => {
  it('render from local assets only', async () => {
    const elsewhere: string[] = []
    const origin = new URL(h.server.url).origin
    await h.page.route('**/*', (route) => {
      if (new URL(route.request().url()).origin === origin) return route.continue()
      elsewhere.push(route.request().url())
      return route.abort()
    })
    const res = await h.page.goto(`${h.server.url}/docs`)
    expect(res?.status()).toBe(200)
    await expect.poll(() => h.page.locator('body').innerText(), { timeout: 10_000 }).toContain('/v1/chat/completions')
    expect(await h.page.locator('body').innerText()).toContain('/v1/messages')
    expect(elsewhere).toEqual([])
    expect(h.pageErrors).toEqual([])
    await h.shot('20-docs')
    const spec = await (await h.page.request.get(`${h.server.url}/docs/openapi.json`)).json()
    expect(spec.openapi).toMatch(/^3\.1/)
  })
})
