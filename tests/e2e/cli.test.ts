import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ADMIN_KEY, CLIENT_KEY, ROOT, startServer, type RunningServer } from './support/server'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'

/** The CLI as a subprocess against the built server: every command, --json parsed, exit codes. */
let server: RunningServer
let mock: MockUpstream
const yamlOf = (up: string, extra = '') => `
providers:
  - { id: file-openai, type: openai, base_url: "${up}/openai/v1", keys: [sk-file-key-000111] }
routes:
  - { name: file-route, match: { prefix: "oa-" }, provider: file-openai, priority: 5 }
client_keys:
  - { name: test, key: ${CLIENT_KEY} }
${extra}`

beforeAll(async () => {
  mock = await startMockUpstream()
  server = await startServer({ config: yamlOf(mock.url) })
})
afterAll(async () => {
  await server?.stop()
  await mock?.close()
})

function cli(args: string[], opts: { key?: string; input?: string; url?: string } = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, 'cli/rosetta.mjs'), ...args], {
    env: { ...process.env, ROSETTA_URL: opts.url ?? server.url, ROSETTA_ADMIN_KEY: opts.key ?? ADMIN_KEY, NO_COLOR: '1' },
    input: opts.input,
    encoding: 'utf8',
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}
const json = (args: string[]) => {
  const r = cli([...args, '--json'])
  if (r.code !== 0) throw new Error(`rosetta ${args.join(' ')} → ${r.code}: ${r.err}`)
  return JSON.parse(r.out)
}

describe('rosetta CLI', () => {
  it('health', () => {
    expect(json(['health'])).toMatchObject({ status: 'ok', providers: 1 })
    expect(cli(['health']).out).toMatch(/status\s+ok/)
  })

  it('providers add / list / update / disable / enable / set-default / remove', () => {
    expect(json(['providers', 'add', 'cli-anthropic', '--type', 'anthropic', '--base-url', `${mock.url}/anthropic/v1`, '--keys', 'sk-cli-one-123456,sk-cli-two-654321'])).toEqual({
      id: 'cli-anthropic',
      created: true,
    })
    let list = json(['providers', 'list'])
    const p = list.find((x: any) => x.id === 'cli-anthropic')
    expect(p).toMatchObject({ type: 'anthropic', source: 'db', keyCounts: { total: 2, active: 2 } })
    expect(JSON.stringify(list)).not.toContain('sk-cli-one-123456')
    expect(p.keys).toEqual(['sk-c…3456', 'sk-c…4321'])
    json(['providers', 'update', 'cli-anthropic', '--timeout-ms', '1234'])
    json(['providers', 'disable', 'cli-anthropic'])
    list = json(['providers', 'list'])
    expect(list.find((x: any) => x.id === 'cli-anthropic')).toMatchObject({ timeout_ms: 1234, enabled: false, keyCounts: { total: 2 } })
    json(['providers', 'enable', 'cli-anthropic'])
    json(['providers', 'set-default', 'cli-anthropic'])
    expect(json(['providers', 'list']).find((x: any) => x.id === 'cli-anthropic').isDefault).toBe(true)
    // The human table shows it too.
    expect(cli(['providers', 'list']).out).toMatch(/cli-anthropic\s+anthropic/)
  })

  it('keys add many from stdin, list masked, disable with a reason, enable, remove', () => {
    const r = cli(['keys', 'add', 'cli-anthropic', '--file', '-', '--json'], { input: '# pool\nsk-cli-three-777777\n\nsk-cli-one-123456\nsk-cli-four-888888\n' })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toEqual({ provider: 'cli-anthropic', given: 3, added: 2, skipped: 1 })
    let keys = json(['keys', 'list', '--provider', 'cli-anthropic'])
    expect(keys.map((k: any) => k.hint)).toEqual(['sk-c…3456', 'sk-c…4321', 'sk-c…7777', 'sk-c…8888'])
    expect(JSON.stringify(keys)).not.toContain('sk-cli-three')
    const id = keys[2].id
    json(['keys', 'disable', String(id), '--reason', 'leaked in a screenshot'])
    keys = json(['keys', 'list', '--provider', 'cli-anthropic'])
    expect(keys[2]).toMatchObject({ status: 'disabled', disabledReason: 'leaked in a screenshot' })
    json(['keys', 'enable', String(id)])
    expect(json(['keys', 'list', '--provider', 'cli-anthropic'])[2].status).toBe('active')
    json(['keys', 'remove', String(keys[3].id)])
    expect(json(['keys', 'list', '--provider', 'cli-anthropic'])).toHaveLength(3)
  })

  it('models add / list / update / disable / remove', () => {
    json(['models', 'add', 'cli-smart', '--targets', 'cli-anthropic:an-text:3,file-openai:oa-text', '--fallbacks', 'file-openai:oa-text'])
    let m = json(['models', 'list']).find((x: any) => x.name === 'cli-smart')
    expect(m.targets).toEqual([
      { provider: 'cli-anthropic', model: 'an-text', weight: 3 },
      { provider: 'file-openai', model: 'oa-text', weight: 1 },
    ])
    json(['models', 'update', 'cli-smart', '--targets', 'cli-anthropic:an-text'])
    json(['models', 'disable', 'cli-smart'])
    m = json(['models', 'list']).find((x: any) => x.name === 'cli-smart')
    expect(m).toMatchObject({ enabled: false, targets: [{ provider: 'cli-anthropic', model: 'an-text', weight: 1 }] })
    json(['models', 'enable', 'cli-smart'])
  })

  it('routes add / list / test / disable / remove; file-owned entries are read-only', () => {
    json(['routes', 'add', 'cli-claude', '--match', 'keyword:claude', '--provider', 'cli-anthropic', '--priority', '20'])
    const list = json(['routes', 'list'])
    expect(list.map((r: any) => r.name)).toEqual(['cli-claude', 'file-route'])
    const t = json(['routes', 'test', 'claude-x'])
    expect(t).toMatchObject({ matched: true, rule: 'route:cli-claude', targets: [{ provider: 'cli-anthropic', model: 'claude-x', role: 'target' }] })
    expect(cli(['routes', 'test', 'claude-x']).out).toContain("route 'cli-claude'")
    const ro = cli(['routes', 'disable', 'file-route'])
    expect(ro.code).toBe(3)
    expect(ro.err).toContain('managed by rosetta.yaml')
    json(['routes', 'disable', 'cli-claude'])
    expect(json(['routes', 'test', 'claude-x']).rule).toBe('default')
    json(['routes', 'remove', 'cli-claude'])
  })

  it('changes take effect for the next request without a restart', async () => {
    json(['models', 'add', 'live-model', '--targets', 'cli-anthropic:an-text'])
    const r = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({ model: 'live-model', messages: [{ role: 'user', content: 'x' }] }),
    })
    expect(((await r.json()) as any).choices[0].message.content).toBe('Hello from anthropic!')
  })

  it('config export → import round-trips (dry run first, nothing to change)', () => {
    const masked = json(['config', 'export']).yaml as string
    expect(masked).toContain('sk-c…3456')
    expect(masked).not.toContain('sk-cli-one-123456')
    const file = join(server.dir, 'exported.yaml')
    writeFileSync(file, masked)
    const dry = json(['config', 'import', file])
    expect(dry.applied).toBe(false)
    expect(dry.changes.filter((c: any) => c.action !== 'unchanged' && c.action !== 'skipped')).toEqual([])
    // An edit shows in the diff, and applies only with --yes.
    writeFileSync(file, masked.replace('timeout_ms: 1234', 'timeout_ms: 4321'))
    expect(json(['config', 'import', file]).changes).toContainEqual({
      kind: 'provider',
      name: 'cli-anthropic',
      action: 'update',
      fields: [{ field: 'timeout_ms', before: 1234, after: 4321 }],
    })
    expect(cli(['config', 'import', file]).out).toContain('~ update provider cli-anthropic\n    timeout_ms: 1234 → 4321\n')
    expect(json(['config', 'import', file, '--yes']).applied).toBe(true)
    expect(json(['providers', 'list']).find((x: any) => x.id === 'cli-anthropic').timeout_ms).toBe(4321)
    const revealed = cli(['config', 'export', '--reveal']).out
    expect(revealed).toContain('sk-cli-one-123456')
  })

  it('client-keys add (secret shown once) / list / update / disable / remove', async () => {
    const created = json(['client-keys', 'add', 'ci-bot', '--models', 'live-*', '--rpm', '60', '--day-tokens', '100000'])
    expect(created.key).toMatch(/^rk-/)
    const row = json(['client-keys', 'list']).find((k: any) => k.name === 'ci-bot')
    expect(JSON.stringify(row)).not.toContain(created.key)
    expect(row).toMatchObject({ models: ['live-*'], rpm: 60, dayTokens: 100000, enabled: true })
    // The new key works at the door, within its allow-list.
    const ok = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${created.key}` },
      body: JSON.stringify({ model: 'live-model', messages: [{ role: 'user', content: 'x' }] }),
    })
    expect(ok.status).toBe(200)
    json(['client-keys', 'update', 'ci-bot', '--rpm', '5'])
    json(['client-keys', 'disable', 'ci-bot'])
    expect(json(['client-keys', 'list']).find((k: any) => k.name === 'ci-bot')).toMatchObject({ rpm: 5, enabled: false })
    json(['client-keys', 'remove', 'ci-bot'])
    expect(json(['client-keys', 'list']).some((k: any) => k.name === 'ci-bot')).toBe(false)
  })

  it('logs (filters) and stats (totals and --by)', async () => {
    await new Promise((r) => setTimeout(r, 700)) // the log is flushed in batches
    const logs = json(['logs', '--model', 'live-model', '--limit', '5'])
    expect(logs.items.length).toBeGreaterThanOrEqual(1)
    expect(logs.items[0]).toMatchObject({ model: 'live-model', status: 200, providerId: 'cli-anthropic' })
    const stats = json(['stats', '--since', '1h'])
    expect(stats.totals.requests).toBeGreaterThanOrEqual(2)
    const byModel = json(['stats', '--by', 'model'])
    expect(JSON.stringify(byModel)).toContain('live-model')
    expect(cli(['stats', '--by', 'nonsense']).code).toBe(2)
  })

  it('logs --follow prints new rows as they arrive', async () => {
    const { spawn } = await import('node:child_process')
    const child = spawn(process.execPath, [join(ROOT, 'cli/rosetta.mjs'), 'logs', '--follow', '--json', '--model', 'follow-me', '--since', '5m'], {
      env: { ...process.env, ROSETTA_URL: server.url, ROSETTA_ADMIN_KEY: ADMIN_KEY },
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    await new Promise((r) => setTimeout(r, 800))
    json(['models', 'add', 'follow-me', '--targets', 'file-openai:oa-text'])
    await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({ model: 'follow-me', messages: [{ role: 'user', content: 'x' }] }),
    })
    for (let i = 0; i < 40 && !out.includes('follow-me'); i++) await new Promise((r) => setTimeout(r, 100))
    child.kill()
    expect(JSON.parse(out.trim().split('\n')[0]!)).toMatchObject({ model: 'follow-me', status: 200 })
  })

  it('admin-key info, and rotate refused while NUXT_ADMIN_KEY is set', () => {
    expect(json(['admin-key', 'info'])).toMatchObject({ source: 'env' })
    const r = cli(['admin-key', 'rotate'])
    expect(r.code).toBe(6)
    expect(r.err).toContain('NUXT_ADMIN_KEY')
  })

  it('fails with a one-line reason and an exit code scripts can trust', () => {
    const wrongKey = cli(['providers', 'list'], { key: 'wrong' })
    expect(wrongKey.code).toBe(3)
    expect(wrongKey.err.trim()).toBe('rosetta: the admin key was refused: pass --admin-key or set ROSETTA_ADMIN_KEY')
    const down = cli(['health'], { url: 'http://127.0.0.1:9' })
    expect(down.code).toBe(5)
    expect(down.err).toContain('cannot reach Rosetta at http://127.0.0.1:9')
    const bad = cli(['providers', 'add', 'Bad_Id', '--type', 'openai'])
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(/invalid input: id: must be lowercase/)
    const missing = cli(['models', 'remove', 'no-such-model'])
    expect(missing.code).toBe(4)
    const usage = cli(['providers', 'frobnicate'])
    expect(usage.code).toBe(2)
  })
})

describe('rosetta.yaml under a running server', () => {
  const file = () => join(server.dir, 'rosetta.yaml')
  const waitFor = async (cond: () => Promise<boolean>) => {
    for (let i = 0; i < 40; i++) {
      if (await cond()) return true
      await new Promise((r) => setTimeout(r, 50))
    }
    return false
  }

  it('an edit applies within a second; an invalid edit changes nothing and is reported', async () => {
    const edited = yamlOf(mock.url, `models:\n  - { name: from-file, targets: [ { provider: file-openai, model: oa-text } ] }\n`)
    // Timed over HTTP (a CLI process per poll would measure node's start-up, not the reload).
    const models = async () => ((await (await fetch(`${server.url}/api/trpc/models.list`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as any).result.data
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
