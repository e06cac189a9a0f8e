import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ADMIN_KEY } from './support/server'
import { cliConfigYaml, useCliServer } from './support/cli'

/** rosetta.yaml edited under a running server: applied within a second, or refused and reported. */
const c = useCliServer()
const { json } = c

describe('rosetta.yaml under a running server', () => {
  const file = () => join(c.server.dir, 'rosetta.yaml')
  const waitFor = async (cond: () => Promise<boolean>) => {
    for (let i = 0; i < 40; i++) {
      if (await cond()) return true
      await new Promise((r) => setTimeout(r, 50))
    }
    return false
  }

  it('an edit applies within a second; an invalid edit changes nothing and is reported', async () => {
    json(['models', 'add', 'cli-smart', '--targets', 'file-openai:oa-text'])
    const edited = cliConfigYaml(c.mock.url, `models:\n  - { name: from-file, targets: [ { provider: file-openai, model: oa-text } ] }\n`)
    // Timed over HTTP (a CLI process per poll would measure node's start-up, not the reload).
    const models = async () => ((await (await fetch(`${c.server.url}/api/trpc/models.list`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as any).result.data
    const t = Date.now()
    writeFileSync(file(), edited)
    expect(await waitFor(async () => (await models()).some((m: any) => m.name === 'from-file' && m.source === 'file'))).toBe(true)
    expect(Date.now() - t).toBeLessThan(1000)
    // Entries made with the CLI survive a file reload.
    expect(json(['models', 'list']).some((m: any) => m.name === 'cli-smart')).toBe(true)

    writeFileSync(file(), edited.replace('type: openai', 'type: openia'))
    expect(await waitFor(async () => json(['config', 'status']).lastError !== null)).toBe(true)
    expect(json(['config', 'status']).lastError.message).toContain('providers[0].type')
    expect(json(['models', 'list']).some((m: any) => m.name === 'from-file')).toBe(true)
    expect(json(['health']).status).toBe('ok')
  })
})
