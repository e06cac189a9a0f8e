import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseConfigText, ConfigFileError } from '../../../server/services/config/load-file'

const EXAMPLE = fileURLToPath(new URL('../../../rosetta.example.yaml', import.meta.url))

describe('rosetta.yaml', () => {
  it('the shipped example is valid and covers every section', () => {
    const cfg = parseConfigText(readFileSync(EXAMPLE, 'utf8'))
    expect(cfg.providers.map((p) => p.id)).toEqual(['openai', 'anthropic', 'gemini', 'deepseek'])
    expect(cfg.providers[0]!.keys[1]).toEqual({ key: 'sk-replace-me-2', weight: 2, max_concurrency: 8, enabled: true, name: 'backup' })
    expect(cfg.providers[3]!.auth).toEqual({ header: 'Authorization', template: 'Bearer {key}' })
    expect(cfg.models[0]!.fallbacks[0]).toEqual({ provider: 'gemini', model: 'gemini-2.5-pro', weight: 1 })
    expect(cfg.routes.map((r) => Object.keys(r.match)[0])).toEqual(['keyword', 'regex', 'prefix'])
    expect(cfg.routes[2]!.model).toBe('{model}')
    expect(cfg.default_provider).toBe('openai')
    expect(cfg.client_keys[0]!.models).toEqual(['gpt-*', 'smart'])
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
    let err: unknown
    try {
      parseConfigText(bad, 'x.yaml')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigFileError)
    const msg = (err as Error).message
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
