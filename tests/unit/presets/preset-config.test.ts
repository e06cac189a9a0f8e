import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { Database } from '../../../server/services/db/database'
import type { SecretBox } from '../../../server/services/security/secret-box'
import { applyConfigFile, loadStoredConfig } from '../../../server/services/db/config-repo'
import { deleteEntity } from '../../../server/services/db/config-writes'
import { ConfigFileError, parseConfigText } from '../../../server/services/config/load-file'
import { effectiveConfig } from '../../../server/services/config/effective'
import { listPrices, seedPrices, updatePrices } from '../../../server/services/db/price-repo'
import { presetPrices } from '../../../server/services/log/preset-prices'
import { PRESETS } from '../../../shared/presets'
import { openConfigStore } from '../../helpers/database'

let db: Database
let box: SecretBox
beforeEach(async () => {
  ;({ db, box } = await openConfigStore())
})
afterEach(() => db.close())

const FILE = `providers:
  - id: ds
    preset: deepseek
    keys: [sk-deepseek-key-0001]
  - id: qwen-cn
    preset: qwen
    base_url: https://dashscope.aliyuncs.com/compatible-mode/v1
    keys: [sk-qwen-key-0002]
    headers: { x-team: search }
    quirks: { stream_usage: false }
  - id: glm-claude
    preset: glm-anthropic
    keys: [sk-glm-key-0003]
    timeout_ms: 30000
`

/** What `config export` writes (lossless, keys revealed so a second database can take it). */
async function exportText(d: Database): Promise<string> {
  const { _sources, ...cfg } = effectiveConfig(await loadStoredConfig(d, box), true, true)
  void _sources
  return stringify(cfg, { lineWidth: 0 })
}

describe('preset: in rosetta.yaml', () => {
  it('a preset and a key stand for the whole provider', () => {
    const p = parseConfigText('providers:\n  - { id: ds, preset: deepseek, keys: [sk-deepseek-key-0001] }\n').providers[0]!
    expect(p).toMatchObject({ id: 'ds', preset: 'deepseek', type: 'openai', base_url: 'https://api.deepseek.com/v1', keys: ['sk-deepseek-key-0001'], timeout_ms: 600_000 })
  })

  it('what the entry writes wins over the preset (the China site, a type, auth)', () => {
    const p = parseConfigText(FILE).providers[1]!
    expect(p.base_url).toBe('https://dashscope.aliyuncs.com/compatible-mode/v1')
    expect(p.quirks).toEqual({ stream_usage: false })
    expect(parseConfigText(FILE).providers[2]!.auth).toEqual({ header: 'authorization', template: 'Bearer {key}' })
  })

  it('an unknown preset is refused with its path and the known names', () => {
    let err: unknown
    try {
      parseConfigText('providers:\n  - { id: ds, preset: deepseak }\n')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigFileError)
    expect((err as Error).message).toContain("providers[0].preset: is not a known preset (known: openai, anthropic, gemini")
    expect((err as Error).message).toContain('deepseek')
  })

  it('an unknown quirk value is refused with its path', () => {
    expect(() => parseConfigText('providers:\n  - { id: v, preset: vllm, quirks: { thinking: sometimes } }\n')).toThrow(/providers\[0\]\.quirks\.thinking/)
  })

  it('exports as written (the preset and only the overrides) and round-trips byte for byte', async () => {
    await applyConfigFile(db, box, parseConfigText(FILE))
    const out = await exportText(db)
    const { providers } = parse(out) as { providers: Array<Record<string, unknown>> }
    const strip = (p: Record<string, unknown>) => ({ ...p, keys: (p.keys as Array<{ key: string }>).map((k) => k.key) })
    expect(providers.map(strip)).toEqual([
      { id: 'ds', preset: 'deepseek', keys: ['sk-deepseek-key-0001'] },
      { id: 'qwen-cn', preset: 'qwen', base_url: 'https://dashscope.aliyuncs.com/compatible-mode/v1', keys: ['sk-qwen-key-0002'], headers: { 'x-team': 'search' }, quirks: { stream_usage: false } },
      { id: 'glm-claude', preset: 'glm-anthropic', keys: ['sk-glm-key-0003'], timeout_ms: 30000 },
    ])
    // The exported text, applied to a fresh database, exports again to the very same text.
    const db2 = await Database.open(':memory:')
    try {
      await applyConfigFile(db2, box, parseConfigText(out))
      expect(await exportText(db2)).toBe(out)
      expect((await loadStoredConfig(db2, box)).providers.map((p) => [p.id, p.type, p.preset])).toEqual([
        ['ds', 'openai', 'deepseek'],
        ['qwen-cn', 'openai', 'qwen'],
        ['glm-claude', 'anthropic', 'glm-anthropic'],
      ])
    } finally {
      db2.close()
    }
  })

  it('removing the preset from an entry, or the entry, forgets the preset', async () => {
    await applyConfigFile(db, box, parseConfigText(FILE))
    await applyConfigFile(db, box, parseConfigText('providers:\n  - { id: ds, type: openai, base_url: "https://api.deepseek.com/v1" }\n'))
    const stored = await loadStoredConfig(db, box)
    expect(stored.providers.map((p) => [p.id, p.preset ?? null, p.quirks ?? null])).toEqual([['ds', null, null]])
    await deleteEntity(db, 'provider', 'ds')
    expect(await db.all("SELECT key FROM settings WHERE key LIKE 'provider_preset:%'")).toEqual([])
  })
})

describe('preset prices seed the price table', () => {
  it('every seeded price comes from a preset model with a published price', () => {
    const priced = new Set(PRESETS.flatMap((p) => p.models.filter((m) => m.price).map((m) => m.id)))
    const seeded = presetPrices()
    expect(seeded.length).toBe(priced.size)
    expect(seeded.find((p) => p.pattern === 'kimi-k2.5')).toEqual({ pattern: 'kimi-k2.5', inputPerM: 0.6, outputPerM: 3, cacheReadPerM: 0.1, cacheWritePerM: null })
  })

  it('adds missing prices once, never overwrites an operator’s price, never brings back a removed one', async () => {
    // Migration 003 seeded deepseek-chat at 0.28; an operator changed it.
    await updatePrices(db, [{ pattern: 'deepseek-chat', inputPerM: 9, outputPerM: 9, cacheReadPerM: null, cacheWritePerM: null }], [])
    const added = await seedPrices(db, presetPrices())
    expect(added).toContain('kimi-k2.5')
    expect(added).not.toContain('deepseek-chat')
    const price = async (pattern: string) => (await listPrices(db)).find((p) => p.pattern === pattern)
    expect((await price('deepseek-chat'))!.inputPerM).toBe(9)
    expect((await price('kimi-k2.5'))!.outputPerM).toBe(3)
    // The operator removes a seeded price: the next boot's seeding leaves it removed.
    await updatePrices(db, [], ['kimi-k2.5'])
    expect(await seedPrices(db, presetPrices())).toEqual([])
    expect(await price('kimi-k2.5')).toBeUndefined()
  })
})
