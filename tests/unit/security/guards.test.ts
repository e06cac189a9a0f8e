import { describe, expect, it } from 'vitest'
import { LoginGuard } from '../../../server/services/security/login-guard'
import { redactSecrets } from '../../../server/services/security/redact'
import { isSameOrigin } from '../../../server/services/security/principal'
import { answerPreflight, isCorsPath, parseCorsOrigins } from '../../../server/gateway/http/cors'

describe('failed-login guard', () => {
  it('blocks an address after 5 failures within a minute, until the first leaves the window', () => {
    const g = new LoginGuard(5, 60_000)
    for (let i = 0; i < 4; i++) g.fail('1.2.3.4', 1000 + i)
    expect(g.blockedFor('1.2.3.4', 2000)).toBe(0)
    g.fail('1.2.3.4', 2000)
    expect(g.blockedFor('1.2.3.4', 2000)).toBe(59)
    expect(g.blockedFor('5.6.7.8', 2000)).toBe(0)
    expect(g.blockedFor('1.2.3.4', 61_001)).toBe(0)
  })
})

describe('audit redaction', () => {
  it('masks secret-looking fields at any depth and leaves the rest', () => {
    const out = redactSecrets({ key: 'sk-abcdefghijklmnopwxyz', name: 'ci', nested: [{ apiKey: 'AIzaSyABCDEFGHIJKLMNOP', oldMasterKey: '0123456789abcdef0123' }], rpm: 5 })
    expect(out).toEqual({ key: 'sk-a…wxyz', name: 'ci', nested: [{ apiKey: 'AIza…MNOP', oldMasterKey: '0123…0123' }], rpm: 5 })
    expect(JSON.stringify(out)).not.toContain('efghijklmnop')
  })
})

describe('cross-site check', () => {
  const req = (headers: Record<string, string>) => ({ headers: { host: 'gw.local:3000', ...headers } }) as any
  it('uses Sec-Fetch-Site, else Origin against Host; tools without either pass', () => {
    expect(isSameOrigin(req({ 'sec-fetch-site': 'same-origin' }))).toBe(true)
    expect(isSameOrigin(req({ 'sec-fetch-site': 'cross-site', origin: 'http://gw.local:3000' }))).toBe(false)
    expect(isSameOrigin(req({ 'sec-fetch-site': 'same-site' }))).toBe(false)
    expect(isSameOrigin(req({ origin: 'http://gw.local:3000' }))).toBe(true)
    expect(isSameOrigin(req({ origin: 'http://evil.example' }))).toBe(false)
    expect(isSameOrigin(req({ origin: 'null' }))).toBe(false)
    expect(isSameOrigin(req({}))).toBe(true)
  })
})

describe('CORS', () => {
  it('parses the origin list and applies only to the public API', () => {
    expect(parseCorsOrigins('')).toBeUndefined()
    expect(parseCorsOrigins('https://a.example, https://b.example/')).toEqual({ any: false, origins: new Set(['https://a.example', 'https://b.example']) })
    expect(isCorsPath('/v1/chat/completions')).toBe(true)
    expect(isCorsPath('/v1beta/models/x:generateContent')).toBe(true)
    expect(isCorsPath('/v1/admin/security/key-info')).toBe(false)
    expect(isCorsPath('/api/trpc/keys.list')).toBe(false)
  })

  it('answers a preflight with the allow headers only for an allowed origin', () => {
    const p = parseCorsOrigins('https://app.example')
    const run = (origin: string) => {
      let status = 0
      let headers: Record<string, string> = {}
      answerPreflight(p, { headers: { origin, 'access-control-request-headers': 'authorization,content-type' } } as any, {
        writeHead: (s: number, h: Record<string, string>) => ((status = s), (headers = h)),
        end() {},
      } as any)
      return { status, headers }
    }
    const ok = run('https://app.example')
    expect(ok.status).toBe(204)
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example')
    expect(ok.headers['access-control-allow-headers']).toBe('authorization,content-type')
    const no = run('https://evil.example')
    expect(no.status).toBe(204)
    expect(no.headers['access-control-allow-origin']).toBeUndefined()
  })
})
