import { describe, expect, it } from 'vitest'
import { parseSettings } from '../../../server/utils/settings'

const base = { dbPath: 'x.duckdb', adminKey: '', masterKey: '', configFile: '', logBodies: 'true', maxBodyMb: 32, metricsToken: '', maxAttempts: 4, deliveryDeadlineMs: 120000 }

describe('secret settings', () => {
  it('unset or real secrets are accepted; a placeholder admin key or metrics token stops the boot with its variable', () => {
    expect(parseSettings(base).adminKey).toBe('')
    expect(parseSettings({ ...base, adminKey: 'rsk-admin-9f8e7d6c5b4a3f2e1d0c' }).adminKey).toBe('rsk-admin-9f8e7d6c5b4a3f2e1d0c')
    expect(() => parseSettings({ ...base, adminKey: 'replace-me' })).toThrow(/NUXT_ADMIN_KEY: is a placeholder/)
    expect(() => parseSettings({ ...base, metricsToken: 'changeme' })).toThrow(/NUXT_METRICS_TOKEN: is a placeholder/)
  })
})
