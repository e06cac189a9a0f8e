import { describe, expect, it } from 'vitest'
import { weakAdminKeyReason } from '../../../server/services/security/weak-admin-key'
import { parseSettings } from '../../../server/utils/settings'

describe('a weak NUXT_ADMIN_KEY', () => {
  it('is named for the reason it is weak', () => {
    expect(weakAdminKeyReason('admin')).toBe('it is a well-known password')
    expect(weakAdminKeyReason('Pass_Word-Password')).toBe('it is a well-known password')
    expect(weakAdminKeyReason('adminadminadminadmin')).toBe('it repeats a well-known password')
    expect(weakAdminKeyReason('aaaaaaaaaaaaaaaaaaaaaaaa')).toBe('it is one character repeated')
    expect(weakAdminKeyReason('abcdefghijklmnopqrstu')).toBe('it is a simple sequence of characters')
    expect(weakAdminKeyReason('78901234567890123')).toBe('it is a simple sequence of characters')
    expect(weakAdminKeyReason('zyxwvutsrqponmlkj')).toBe('it is a simple sequence of characters')
    expect(weakAdminKeyReason('xyzwxyzwxyzwxyzwxyzw')).toBe('it repeats a 4-character pattern')
    expect(weakAdminKeyReason('k3y-Zq9!')).toBe('it is shorter than 16 characters')
    expect(weakAdminKeyReason('ababababcdcdcdcdabab')).toBe('it uses only 4 different characters')
  })

  it('lets strong keys through: generated ones, long random ones, the test suites’ keys', () => {
    for (const k of ['rsk-admin-test-0123456789abcdefghij', 'rsk-bench-admin-0123456789abcdefghij', 'rsk-admin-9fQ2xL0pVb7sT1mWc4kZ8rYd3hNj6uAe', 'correct horse battery staple'])
      expect([k, weakAdminKeyReason(k)]).toEqual([k, undefined])
  })
})

describe('settings', () => {
  const base = { dbPath: 'x', masterKey: '', configFile: '', logBodies: 'true', maxBodyMb: 1, metricsToken: '', maxAttempts: 4, deliveryDeadlineMs: 120000 }

  it('refuse a weak admin key with the variable and the reason, unless NUXT_ALLOW_WEAK_ADMIN_KEY=true', () => {
    expect(() => parseSettings({ ...base, adminKey: 'admin' })).toThrow(/NUXT_ADMIN_KEY: too weak: it is a well-known password.*NUXT_ALLOW_WEAK_ADMIN_KEY=true/)
    expect(parseSettings({ ...base, adminKey: 'admin', allowWeakAdminKey: 'true' }).allowWeakAdminKey).toBe(true)
    // No key configured: one is generated, nothing to judge.
    expect(parseSettings({ ...base, adminKey: '' }).adminKey).toBe('')
  })
})
