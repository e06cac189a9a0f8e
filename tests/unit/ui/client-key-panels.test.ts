import { describe, expect, it } from 'vitest'
import { integrationSnippets } from '../../../utils/integration-snippets'
import { budgetBars } from '../../../utils/budget-bars'
import { failureBreakdown, failureTotal } from '../../../utils/failures'

describe('integration snippets', () => {
  const s = Object.fromEntries(integrationSnippets({ baseUrl: 'http://gw.test:3000/', key: 'rk-secret', model: 'm1' }).map((x) => [x.id, x.code]))

  it('points each client at the right base URL with the documented variable names', () => {
    expect(s.openai).toContain("baseURL: 'http://gw.test:3000/v1'")
    expect(s.anthropic).toContain("baseURL: 'http://gw.test:3000'")
    expect(s.gemini).toContain("baseUrl: 'http://gw.test:3000'")
    expect(s.curl).toContain('curl http://gw.test:3000/v1/chat/completions')
    expect(s['claude-code']).toContain('ANTHROPIC_BASE_URL=http://gw.test:3000\n')
    expect(s['claude-code']).toContain('ANTHROPIC_AUTH_TOKEN=rk-secret')
    expect(s.codex).toContain('base_url = "http://gw.test:3000/v1"')
    expect(s.codex).toContain('wire_api = "responses"')
    expect(s['gemini-cli']).toContain('GOOGLE_GEMINI_BASE_URL=http://gw.test:3000\n')
    expect(s['gemini-cli']).toContain('GEMINI_API_KEY=rk-secret')
  })

  it('puts the key and the model into every snippet', () => {
    for (const code of Object.values(s)) expect(code).toContain('rk-secret')
    for (const id of ['openai', 'anthropic', 'gemini', 'curl', 'codex']) expect(s[id]).toContain('m1')
  })
})

describe('budget bars', () => {
  const t = (k: string, v: Record<string, string>) => `${k}:${v.used}/${v.limit}`
  it('shows one bar per budget that is set, capped at 100 %', () => {
    const bars = budgetBars({ dayTokens: null, monthTokens: 1000, dayUsd: 10, monthUsd: null, usage: { dayTokens: 0, monthTokens: 1500, dayUsd: 3.2, monthUsd: 0 } }, t)
    expect(bars).toEqual([
      { id: 'dayUsd', label: 'ck.ofToday:$3.20/$10.00', percent: 32 },
      { id: 'monthTokens', label: 'ck.ofMonth:1,500 tok/1,000 tok', percent: 100 },
    ])
  })
})

describe('key failures', () => {
  it('sums the per-kind counts and lists them biggest first', () => {
    expect(failureTotal({ rate_limit: 2, server: 5 })).toBe(7)
    expect(failureTotal({})).toBe(0)
    expect(failureBreakdown({ rate_limit: 2, server: 5, auth: 0 })).toBe('server 5 · rate_limit 2')
  })
})
