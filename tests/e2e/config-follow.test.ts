import { describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ADMIN_KEY, CLIENT_KEY, startServer } from './support/server'
import { useMockUpstream } from './support/setup'
import { bearer, chat, trpc } from './support/admin-api'

/**
 * rosetta.yaml under a running server, changed the ways deployments change it: a Kubernetes
 * ConfigMap update (the `..data` symlink swapped), an editor's rename-and-replace, and a file that
 * only appears after boot. Each waits (polling, generous deadline) until a chat to the new model works.
 */
const up = useMockUpstream()

const yamlWith = (model: string) => `
providers:
  - { id: cm-openai, type: openai, base_url: "${up.mock.url}/openai/v1", keys: [sk-cm-openai-1] }
models:
  - { name: ${model}, targets: [ { provider: cm-openai, model: oa-text } ] }
client_keys:
  - { name: test, key: ${CLIENT_KEY} }
`

/** Polls until a chat to `model` succeeds: the file applied, the routing snapshot rebuilt, its client key known. */
async function served(url: string, model: string, timeoutMs = 30_000): Promise<boolean> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if ((await chat(url, CLIENT_KEY, model)).status === 200) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return false
}

describe('rosetta.yaml is followed however it changes', () => {
  it('a Kubernetes ConfigMap update (..data symlink swap) is applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rosetta-e2e-cm-'))
    const cm = join(dir, 'config')
    const version = (n: number, model: string) => {
      const d = join(cm, `..2026_12_04_16_0${n}_00.12345678${n}`)
      mkdirSync(d, { recursive: true })
      writeFileSync(join(d, 'rosetta.yaml'), yamlWith(model))
      return d
    }
    const first = version(1, 'cm-one')
    symlinkSync(first.slice(cm.length + 1), join(cm, '..data'))
    symlinkSync('..data/rosetta.yaml', join(cm, 'rosetta.yaml'))
    const s = await startServer({ dir, env: { NUXT_CONFIG_FILE: join(cm, 'rosetta.yaml') } })
    try {
      expect(await served(s.url, 'cm-one')).toBe(true)
      // What the kubelet does: write the new version, point a temp link at it, rename it over ..data.
      const second = version(2, 'cm-two')
      symlinkSync(second.slice(cm.length + 1), join(cm, '..data_tmp'))
      renameSync(join(cm, '..data_tmp'), join(cm, '..data'))
      rmSync(first, { recursive: true })
      expect(await served(s.url, 'cm-two')).toBe(true)
      const status = await trpc(s.url, 'query', 'config.status', undefined, bearer(ADMIN_KEY))
      expect(status.body.result.data).toMatchObject({ file: join(cm, 'rosetta.yaml'), lastError: null })
    } finally {
      expect(await s.stop()).toBe(0)
    }
  })

  it('a file that appears after boot is applied; then an editor renames a new version over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rosetta-e2e-late-'))
    const file = join(dir, 'not-yet', 'rosetta.yaml')
    const s = await startServer({ dir, env: { NUXT_CONFIG_FILE: file } })
    try {
      expect(s.output()).toContain('configuration file not found')
      expect((await trpc(s.url, 'query', 'config.status', undefined, bearer(ADMIN_KEY))).body.result.data).toMatchObject({ file: null })
      mkdirSync(join(dir, 'not-yet'))
      writeFileSync(file, yamlWith('late-one'))
      expect(await served(s.url, 'late-one')).toBe(true)
      // An editor's save: a temp file renamed over the original.
      writeFileSync(join(dir, 'not-yet', '.rosetta.yaml.tmp'), yamlWith('late-two'))
      renameSync(join(dir, 'not-yet', '.rosetta.yaml.tmp'), file)
      expect(await served(s.url, 'late-two')).toBe(true)
      expect((await trpc(s.url, 'query', 'models.list', undefined, bearer(ADMIN_KEY))).body.result.data.map((m: any) => m.name)).toEqual(['late-two'])
      expect((await trpc(s.url, 'query', 'config.status', undefined, bearer(ADMIN_KEY))).body.result.data).toMatchObject({ file, lastError: null })
    } finally {
      expect(await s.stop()).toBe(0)
    }
  })
})
