import { describe, expect, it } from 'vitest'
import en from '../../../locales/en'
import zhCN from '../../../locales/zh-CN'

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('message catalogs', () => {
  it('have the same keys, none empty', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort())
    for (const [k, v] of Object.entries(zhCN)) expect(v.trim(), k).not.toBe('')
  })

  it('keep every {placeholder} in translation', () => {
    for (const k of Object.keys(en) as (keyof typeof en)[]) expect(placeholders(zhCN[k]), k).toEqual(placeholders(en[k]))
  })

  it('are really translated (most Chinese strings differ from English)', () => {
    const same = (Object.keys(en) as (keyof typeof en)[]).filter((k) => en[k] === zhCN[k])
    expect(same.length / Object.keys(en).length).toBeLessThan(0.15)
  })
})
