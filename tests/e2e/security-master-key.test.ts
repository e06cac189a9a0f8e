import { afterAll, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { mockConfigYaml, startServer, CLIENT_KEY, type RunningServer } from './support/server'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'
import { chat } from './support/admin-api'

let mock: MockUpstream | undefined
let dir: string | undefined
afterAll(async () => {
  await mock?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const K1 = randomBytes(32).toString('base64')
const K2 = randomBytes(32).toString('hex')

describe('master key change', () => {
  it('is refused with a clear error, and done by one boot with NUXT_OLD_MASTER_KEY', async () => {
    mock = await startMockUpstream()
    let s: RunningServer = await startServer({ config: mockConfigYaml(mock.url), env: { NUXT_MASTER_KEY: K1 } })
    dir = s.dir
    expect((await chat(s.url, CLIENT_KEY, 'oa-text')).status).toBe(200)
    await s.stop('SIGTERM', { keepDir: true })
    // Without the file, the stored (encrypted) keys are all the server has.
    rmSync(join(dir, 'rosetta.yaml'))
    const env = { NUXT_CONFIG_FILE: '' }

    const refused = await startServer({ dir, env: { ...env, NUXT_MASTER_KEY: K2 }, expectFailure: true })
    expect((refused as any).exitCode).not.toBe(0)
    expect(refused.output()).toContain('The master key differs from the one the stored upstream keys were encrypted with')
    expect(refused.output()).toContain('NUXT_OLD_MASTER_KEY')

    const wrongOld = await startServer({ dir, env: { ...env, NUXT_MASTER_KEY: K2, NUXT_OLD_MASTER_KEY: randomBytes(32).toString('hex') }, expectFailure: true })
    expect(wrongOld.output()).toContain('NUXT_OLD_MASTER_KEY is not the key')

    s = await startServer({ dir, env: { ...env, NUXT_MASTER_KEY: K2, NUXT_OLD_MASTER_KEY: K1 } })
    expect(s.output()).toContain('re-encrypted under the new master key')
    expect((await chat(s.url, CLIENT_KEY, 'oa-text')).status).toBe(200) // decrypted with the new key
    expect(mock.last('openai-chat').headers.authorization).toMatch(/^Bearer sk-upstream-openai-[12]$/)
    await s.stop('SIGTERM', { keepDir: true })

    // From now on the new key alone is right, and the old one is refused.
    s = await startServer({ dir, env: { ...env, NUXT_MASTER_KEY: K2 } })
    expect((await chat(s.url, CLIENT_KEY, 'oa-text')).status).toBe(200)
    await s.stop('SIGTERM', { keepDir: true })
    const old = await startServer({ dir, env: { ...env, NUXT_MASTER_KEY: K1 }, expectFailure: true })
    expect(old.output()).toContain('The master key differs')
    const bytes = Buffer.concat(readdirSync(dir).filter((f) => f.includes('duckdb')).map((f) => readFileSync(join(dir!, f))))
    expect(bytes.includes(Buffer.from('sk-upstream-openai-1'))).toBe(false)
  })
})
