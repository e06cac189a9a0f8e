import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseConfigText, ConfigFileError } from '../../../server/services/config/load-file'

const EXAMPLE = fileURLToPath(new URL('../../../rosetta.example.yaml', import.meta.url))

/** The message of the ConfigFileError parsing `text` must throw (and the test fails when it does not). */
function configErrorOf(text: string, name: string): string {
  let err: unknown
  try {
    parseConfigText(text, name)
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(ConfigFileError)
  return (err as Error).message
}

describe('rosetta.yaml', () => {
  it('the shipped example is refused as it is: its secrets are placeholders, each named with what to do', () => {
    const msg = configErrorOf(readFileSync(EXAMPLE, 'utf8'), 'rosetta.yaml')
    expect(msg).toContain('client_keys[0].key: is a placeholder, not a key')
    expect(msg).toContain('rosetta client-keys add ci')
    expect(msg).toContain('providers[0].keys[1].key: is a placeholder')
    expect(msg).not.toMatch(/^\s+[^ ]*: (?!is a placeholder)/m) // nothing else is wrong with it
  })

  it('obviously placeholder secrets are refused anywhere, real-looking ones are not', () => {
    for (const k of ['rk-live-replace-me-with-a-long-random-string', 'rk-CHANGEME-0123456789abc', 'rk-live-..............', '<your client key here>'])
      expect(() => parseConfigText(`client_keys: [{ name: a, key: "${k}" }]`), k).toThrow(/client_keys\[0\]\.key: is a placeholder/)
    expect(() => parseConfigText('providers: [{ id: a, type: openai, keys: [sk-your-api-key] }]')).toThrow(/providers\[0\]\.keys\[0\]: is a placeholder/)
    expect(parseConfigText('client_keys: [{ name: a, key: rk-3f9a1c0e5b7d2a4c6e8f }]').client_keys[0]!.key).toBe('rk-3f9a1c0e5b7d2a4c6e8f')
  })

  it('the shipped example, once its placeholders are replaced, is valid and covers every section', () => {
    const text = readFileSync(EXAMPLE, 'utf8').replace(/replace-me/g, 'real-secret-value')
    const cfg = parseConfigText(text)
    expect(cfg.providers.map((p) => p.id)).toEqual(['openai', 'anthropic', 'gemini', 'deepseek'])
    expect(cfg.providers[0]!.keys[1]).toEqual({ key: 'sk-real-secret-value-2', weight: 2, max_concurrency: 8, enabled: true, name: 'backup' })
    expect(cfg.providers[3]!.auth).toEqual({ header: 'Authorization', template: 'Bearer {key}' })
    expect(cfg.models[0]!.fallbacks[0]).toEqual({ provider: 'gemini', model: 'gemini-2.5-pro', weight: 1 })
    expect(cfg.routes.map((r) => Object.keys(r.match)[0])).toEqual(['keyword', 'regex', 'prefix'])
    expect(cfg.routes[2]!.model).toBe('{model}')
    expect(cfg.default_provider).toBe('openai')
    expect(cfg.client_keys[0]!.models).toEqual(['gpt-*', 'smart'])
    expect(cfg.client_keys[0]!.rpm).toBe(600)
  })

  it('client keys take every limit, and the secret as key_hash; files written before those fields still load', () => {
    const hash = 'a'.repeat(64)
    const cfg = parseConfigText(`
client_keys:
  - { name: full, key: "rk-t…cdef", key_hash: ${hash}, owner: ops, models: [gpt-*], enabled: false, expires_at: "2027-01-01T00:00:00.000Z",
      rpm: 1, tpm: 2, day_tokens: 3, month_tokens: 4, day_usd: 0.5, month_usd: 6.25 }
  - { name: old, key: rk-0123456789abcdef, models: [smart], rpm: 600 }
providers:
  - { id: p, type: openai, keys: [sk-plain-old-style, { key: "sk-a…wxyz", fingerprint: 0123456789ab, weight: 2 }] }
`)
    expect(cfg.client_keys[0]).toEqual({
      name: 'full', key: 'rk-t…cdef', key_hash: hash, owner: 'ops', models: ['gpt-*'], enabled: false, expires_at: '2027-01-01T00:00:00.000Z',
      rpm: 1, tpm: 2, day_tokens: 3, month_tokens: 4, day_usd: 0.5, month_usd: 6.25,
    })
    expect(cfg.client_keys[1]).toEqual({ name: 'old', key: 'rk-0123456789abcdef', models: ['smart'], rpm: 600, enabled: true })
    expect(cfg.providers[0]!.keys[1]).toEqual({ key: 'sk-a…wxyz', fingerprint: '0123456789ab', weight: 2, enabled: true })
    expect(() => parseConfigText(`client_keys: [{ name: a, key_hash: nothex }]`)).toThrow(/client_keys\[0\]\.key_hash: must be the sha256/)
    expect(() => parseConfigText(`client_keys: [{ name: a, key: rk-0123456789abcdef, key_hash: ${hash} }]`)).toThrow(/client_keys\[0\]\.key_hash: is not the sha256 of key/)
    expect(() => parseConfigText(`client_keys: [{ name: a, key: short }]`)).toThrow(/at least 16 characters/)
  })

  it('reports every problem with its field path and reason', () => {
    const bad = `
providers:
  - id: Bad_Id
    type: openia
    base_url: not-a-url
    auth: { header: X, template: "no placeholder" }
routes:
  - { name: r, match: { regex: "(" }, provider: ghost }
default_provider: nobody
`
    const msg = configErrorOf(bad, 'x.yaml')
    expect(msg).toContain('Invalid configuration file x.yaml')
    expect(msg).toContain('providers[0].id: must be lowercase')
    expect(msg).toContain('providers[0].type: Invalid option')
    expect(msg).toContain('providers[0].base_url')
    expect(msg).toContain('providers[0].auth.template: must contain {key}')
    expect(msg).toContain('routes[0].match')
  })

  it('cross references are checked once the shapes are valid', () => {
    expect(() => parseConfigText('providers: [{ id: a, type: openai }]\nroutes: [{ name: r, match: { prefix: x }, provider: ghost }]\ndefault_provider: nobody')).toThrow(
      /routes\[0\]\.provider: unknown provider 'ghost'[\s\S]*default_provider: unknown provider 'nobody'/,
    )
  })

  it('rejects unknown keys (typos fail loudly)', () => {
    expect(() => parseConfigText('providers: [{ id: a, type: openai, base_ur: "http://x" }]')).toThrow(/providers\[0\].*base_ur/)
  })

  it('YAML syntax errors name the line', () => {
    expect(() => parseConfigText('providers:\n  - id: a\n   type: [')).toThrow(/YAML syntax error \(line \d+/)
  })

  it('an empty file is an empty configuration', () => {
    expect(parseConfigText('')).toMatchObject({ providers: [], models: [], routes: [], client_keys: [] })
  })
})
