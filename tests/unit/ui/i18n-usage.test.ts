import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import en from '../../../locales/en'
import zhCN from '../../../locales/zh-CN'

const ROOT = join(__dirname, '../../..')
const DIRS = ['components', 'pages', 'layouts', 'composables', 'app.vue']

function sources(path: string): string[] {
  const full = join(ROOT, path)
  if (path.endsWith('.vue') || path.endsWith('.ts')) return [full]
  return readdirSync(full, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(path, d.name)) : /\.(vue|ts)$/.test(d.name) ? [join(full, d.name)] : [],
  )
}

/** Keys are namespaced (a.b): literal keys t('a.b') and t("a.b"); template keys: t(`a.b.${x}`) give their fixed prefix. */
function usedKeys(text: string) {
  const literal = [...text.matchAll(/\bt\(\s*['"]([\w-]+(?:\.[\w-]+)+)['"]/g)].map((m) => m[1]!)
  const prefixes = [...text.matchAll(/\bt\(\s*`([\w.-]+)\.\$\{/g)].map((m) => m[1]!)
  return { literal, prefixes }
}

describe('catalog keys used by the admin UI', () => {
  const files = DIRS.flatMap(sources)
  const catalogs = { en: Object.keys(en), 'zh-CN': Object.keys(zhCN) }

  it('finds the UI sources (the scan itself works)', () => {
    expect(files.length).toBeGreaterThan(20)
    expect(files.flatMap((f) => usedKeys(readFileSync(f, 'utf8')).literal).length).toBeGreaterThan(100)
  })

  it('every literal t() key exists in both catalogs', () => {
    const missing: string[] = []
    for (const f of files) {
      for (const k of usedKeys(readFileSync(f, 'utf8')).literal) {
        for (const [lang, keys] of Object.entries(catalogs)) if (!keys.includes(k)) missing.push(`${lang}: ${k} (${f.slice(ROOT.length + 1)})`)
      }
    }
    expect(missing).toEqual([])
  })

  it('every dynamic t(`prefix.${…}`) has entries under its prefix in both catalogs', () => {
    const missing: string[] = []
    for (const f of files) {
      for (const p of usedKeys(readFileSync(f, 'utf8')).prefixes) {
        for (const [lang, keys] of Object.entries(catalogs)) if (!keys.some((k) => k.startsWith(`${p}.`))) missing.push(`${lang}: ${p}.* (${f.slice(ROOT.length + 1)})`)
      }
    }
    expect(missing).toEqual([])
  })
})
