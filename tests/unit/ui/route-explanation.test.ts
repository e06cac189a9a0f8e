import { describe, expect, it } from 'vitest'
import en from '../../../locales/en'
import zhCN from '../../../locales/zh-CN'
import { routeExplanationText } from '../../../utils/route-explanation'

/** The catalogs' own substitution (useI18n's t without Vue): unknown keys show as the key. */
const tIn = (dict: Record<string, string>) => (key: string, params?: Record<string, string | number>) => {
  let s = dict[key] ?? key
  for (const [k, v] of Object.entries(params ?? {})) s = s.replaceAll(`{${k}}`, String(v))
  return s
}

describe('route tester explanations', () => {
  it('words each code in the chosen language, with its values and no raw codes', () => {
    const route = { code: 'route', params: { route: 'claude', matchType: 'prefix', pattern: 'claude-', priority: 10, provider: 'anthropic', model: 'claude-x' } }
    expect(routeExplanationText(route, tIn(en), 'EN')).toBe('Route claude (prefix “claude-”, priority 10) → anthropic/claude-x.')
    expect(routeExplanationText(route, tIn(zhCN), 'EN')).toBe('路由 claude（前缀“claude-”，优先级 10）→ anthropic/claude-x。')
    const cases: { code: string; params: Record<string, string | number> }[] = [
      { code: 'forced', params: { provider: 'p1' } },
      { code: 'model', params: { entry: 'smart', provider: 'p1', model: 'm', targets: 2, fallbacks: 1 } },
      { code: 'default', params: { provider: 'p1' } },
      { code: 'none', params: { model: 'x' } },
    ]
    for (const dict of [en, zhCN]) {
      for (const c of cases) {
        const text = routeExplanationText(c, tIn(dict), 'EN')
        expect(text).not.toMatch(/tester\.|\{\w+\}/)
        for (const v of Object.values(c.params)) expect(text).toContain(String(v))
      }
    }
  })

  it("falls back to the server's sentence for a code it does not know", () => {
    expect(routeExplanationText({ code: 'newer', params: {} }, tIn(en), 'server sentence')).toBe('server sentence')
    expect(routeExplanationText(null, tIn(en), 'server sentence')).toBe('server sentence')
  })
})
