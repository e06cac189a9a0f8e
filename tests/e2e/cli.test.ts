import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ADMIN_KEY, CLIENT_KEY, ROOT } from './support/server'
import { alignedTable, fieldLines, readable, useCliServer } from './support/cli'

/** The CLI as a subprocess against the built server: every command, --json parsed, exit codes (fixture: support/cli.ts). */
const c = useCliServer()
const { cli, json, cliAsync } = c

describe('rosetta CLI', () => {
  it('health', () => {
    expect(json(['health'])).toMatchObject({ status: 'ok', providers: 1 })
    expect(cli(['health']).out).toMatch(/status\s+ok/)
  })

  it('providers add / list / update / disable / enable / set-default / remove', () => {
    expect(json(['providers', 'add', 'cli-anthropic', '--type', 'anthropic', '--base-url', `${c.mock.url}/anthropic/v1`, '--keys', 'sk-cli-one-123456,sk-cli-two-654321'])).toEqual({
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
    const r = await fetch(`${c.server.url}/v1/chat/completions`, {
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
    const file = join(c.server.dir, 'exported.yaml')
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
    const ok = await fetch(`${c.server.url}/v1/chat/completions`, {
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

  it('human output: every list is an aligned table, every report readable, numbers formatted', async () => {
    // Read-only commands, run side by side.
    const results = await Promise.all(
      [
        ['providers', 'list'],
        ['keys', 'list'],
        ['models', 'list'],
        ['routes', 'list'],
        ['client-keys', 'list'],
        ['logs', '--limit', '5'],
        ['stats', '--since', '1h'],
        ['stats', '--by', 'model'],
        ['stats', '--by', 'key'],
        ['health'],
        ['config', 'status'],
        ['admin-key', 'info'],
        ['routes', 'test', 'oa-anything'],
      ].map((a) => cliAsync(a)),
    )
    type Run = (typeof results)[number]
    const [providers, keys, models, routes, clientKeys, logs, stats, byModel, byKey, health, status, info, test] = results as [Run, Run, Run, Run, Run, Run, Run, Run, Run, Run, Run, Run, Run]
    for (const r of results) {
      expect(r.code, r.err).toBe(0)
      readable(r.out)
    }

    const p = alignedTable(providers.out).find((r) => r.ID === 'cli-anthropic')
    expect(p).toMatchObject({ TYPE: 'anthropic', 'BASE URL': `${c.mock.url}/anthropic/v1`, KEYS: '3/3', ENABLED: 'yes', SOURCE: 'db', DEFAULT: 'yes' })
    // A long value is shown whole, not cut at 60 characters.
    expect(alignedTable(keys.out).filter((r) => r.PROVIDER === 'cli-anthropic').map((r) => r.HINT)).toEqual(['sk-c…3456', 'sk-c…4321', 'sk-c…7777'])
    expect(alignedTable(models.out).find((r) => r.NAME === 'live-model')).toMatchObject({ TARGETS: 'cli-anthropic:an-text', FALLBACKS: '-', ENABLED: 'yes' })
    expect(alignedTable(routes.out).find((r) => r.NAME === 'file-route')).toMatchObject({ MATCH: 'prefix:oa-', 'PROVIDER ID': 'file-openai', PRIORITY: '5', SOURCE: 'file' })
    expect(alignedTable(clientKeys.out).find((r) => r.NAME === 'test')).toMatchObject({ ENABLED: 'yes', SOURCE: 'file' })

    const rows = alignedTable(logs.out)
    expect(rows.length).toBeGreaterThanOrEqual(1)
    expect(rows[0]!['TIME (UTC)']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    expect(rows.find((r) => r.MODEL === 'live-model')).toMatchObject({ PROVIDER: 'cli-anthropic', STATUS: '200' })

    const totals = fieldLines(stats.out)
    expect(Number(totals.requests!.replace(/,/g, ''))).toBeGreaterThanOrEqual(2)
    expect(totals['estimated cost']).toMatch(/^\$\d[\d,]*(\.\d+)?$/)
    expect(totals['latency p50 / p95 / p99']).toMatch(/^[\d,.]+ ms \/ [\d,.]+ ms \/ [\d,.]+ ms/)
    expect(totals.errors).toMatch(/^\d[\d,]* \([\d.]+%\): 4xx \d+, 5xx \d+, in-band \d+$/)
    // Breakdowns: the range on one line, then a table (not a JSON blob in a cell).
    expect(byModel.out.split('\n')[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} → .* UTC$/)
    const live = alignedTable(byModel.out.split('\n').slice(1).join('\n')).find((r) => r.MODEL === 'live-model')
    expect(live).toMatchObject({ ERRORS: '0', 'ERROR RATE': '0%' })
    expect(live!.COST).toMatch(/^\$/)
    expect(alignedTable(byKey.out.split('\n').slice(1).join('\n')).some((r) => /^\d+ sk-c…/.test(r.KEY!))).toBe(true)

    expect(fieldLines(health.out)).toMatchObject({ status: 'ok', providers: '2' })
    expect(fieldLines(status.out).file).toBe(join(c.server.dir, 'rosetta.yaml'))
    expect(fieldLines(info.out)).toMatchObject({ source: 'env', rotatable: 'no' })
    expect(test.out.split('\n')[0]).toContain("route 'file-route'")
    expect(alignedTable(test.out.split('\n').slice(1).join('\n'))[0]).toMatchObject({ ROLE: 'target', PROVIDER: 'file-openai', MODEL: 'oa-anything' })
  })

  it('logs --follow prints only rows logged after it started, each once', async () => {
    const follow = (extra: string[]) => {
      const child = spawn(process.execPath, [join(ROOT, 'cli/rosetta.mjs'), 'logs', '--follow', ...extra], {
        env: { ...process.env, ROSETTA_URL: c.server.url, ROSETTA_ADMIN_KEY: ADMIN_KEY },
      })
      const o = { out: '', child }
      child.stdout.on('data', (d) => (o.out += d))
      return o
    }
    // The log already holds rows (live-model, earlier tests): none of them may be printed.
    const asJson = follow(['--json'])
    const human = follow([])
    for (let i = 0; i < 50 && !human.out.includes('TIME (UTC)'); i++) await new Promise((r) => setTimeout(r, 100))
    await new Promise((r) => setTimeout(r, 500))
    json(['models', 'add', 'follow-me', '--targets', 'file-openai:oa-text'])
    await fetch(`${c.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({ model: 'follow-me', messages: [{ role: 'user', content: 'x' }] }),
    })
    for (let i = 0; i < 60 && !(asJson.out.includes('follow-me') && human.out.includes('follow-me')); i++) await new Promise((r) => setTimeout(r, 100))
    // A few more polls: the row must not come again.
    await new Promise((r) => setTimeout(r, 2500))
    asJson.child.kill()
    human.child.kill()
    const rows = asJson.out.trim().split('\n').map((l) => JSON.parse(l))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ model: 'follow-me', status: 200 })
    const lines = human.out.trimEnd().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^TIME \(UTC\)\s+REQUEST ID\s+CLIENT KEY\s+MODEL/)
    expect(lines[1]).toContain(rows[0].requestId)
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\s+\S+\s+test\s+follow-me\s+file-openai\s+200\b/)
    readable(human.out)
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

  it('--version prints the package version; --help never shows the admin key; no colour codes off a terminal', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
    const v = cli(['--version'])
    expect(v).toMatchObject({ code: 0, out: `${version}\n` })
    // No NO_COLOR, no CI/TEST (citty's own switches): stdout is a pipe, so no colour anyway.
    const env = { NO_COLOR: undefined, CI: undefined, TEST: undefined, VITEST: undefined }
    const helps = await Promise.all([[], ['--help'], ['client-keys', 'add', '--help'], ['logs', '--help'], ['keys', '--help']].map((a) => cliAsync(a, { env })))
    for (const h of helps) {
      expect(h.code).toBe(0)
      expect(h.out).toContain('USAGE')
      expect(h.out).not.toContain(ADMIN_KEY)
      expect(h.out).not.toContain('\u001b[')
    }
    expect(helps[2]!.out).toContain('ROSETTA_ADMIN_KEY')
    const usage = await cliAsync(['keys', 'remove'], { env })
    expect(usage.code).toBe(2)
    expect(usage.out + usage.err).not.toContain('\u001b[')
    // NO_COLOR with any value counts (no-color.org), not only "1".
    expect((await cliAsync(['--help'], { env: { ...env, NO_COLOR: 'true' } })).out).not.toContain('\u001b[')
  })

  it('usage errors and invalid input exit 2 with one line saying what to fix, on every command', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /Unknown command/],
      [['providers', 'list', '--jsno'], /unknown option --jsno \(see rosetta providers list --help\)/],
      [['providers', 'add', 'x-new', '--type', 'openai', '--timeout-ms', 'soon'], /--timeout-ms must be a whole number/],
      [['providers', 'add', 'x-new', '--type', 'openia'], /invalid input: type/],
      [['providers', 'set-default'], /give a provider id, or --none/],
      [['keys', 'remove'], /Missing required positional argument: ID/],
      [['keys', 'disable', 'seven'], /key id must be a whole number/],
      [['keys', 'add', 'cli-anthropic', '--file', '/nonexistent/keys.txt'], /cannot read \/nonexistent\/keys\.txt/],
      [['models', 'add', 'm-new', '--targets', 'no-colon'], /target 'no-colon' must be provider:model/],
      [['models', 'add', 'm-new'], /--targets is required/],
      [['routes', 'add', 'r-new', '--match', 'glob:x', '--provider', 'file-openai'], /--match must be/],
      [['routes', 'add', 'r-new', '--match', 'prefix:x', '--provider', 'file-openai', '--priority', 'high'], /--priority must be a whole number/],
      [['client-keys', 'add', 'k-new', '--rpm', 'lots'], /--rpm must be a whole number of at least 1/],
      [['client-keys', 'add', 'k-new', '--day-usd', '-3'], /--day-usd must be a number/],
      [['client-keys', 'update', 'k-new', '--expires', 'someday'], /--expires must be an ISO 8601 time/],
      [['stats', '--since', 'forever'], /--since must be a span/],
      [['stats', '--by', 'colour'], /--by must be one of/],
      [['logs', '--status', '3xx'], /--status must be 2xx, 4xx, 5xx or error/],
      [['logs', '--limit', '9999'], /--limit must be at most 500/],
      [['config', 'import', '/nonexistent/rosetta.yaml'], /cannot read \/nonexistent\/rosetta\.yaml/],
      [['health', '--url', 'ftp://example.com'], /--url 'ftp:\/\/example\.com' must start with http:\/\/ or https:\/\//],
      [['health', '--url', 'localhost 3000'], /--url 'localhost 3000' is not a URL/],
      [['admin-key', 'info', '--reveal'], /unknown option --reveal/],
    ]
    const results = await Promise.all(cases.map(([a]) => cliAsync(a)))
    results.forEach((r, i) => {
      const [args, message] = cases[i]!
      expect(r.code, `rosetta ${args.join(' ')}: ${r.err}`).toBe(2)
      const line = r.err.trim().split('\n')
      expect(line, `rosetta ${args.join(' ')}`).toHaveLength(1)
      expect(line[0], `rosetta ${args.join(' ')}`).toMatch(message)
    })
    // ROSETTA_URL is checked the same way, and named.
    const env = await cliAsync(['health'], { env: { ROSETTA_URL: 'localhost:3000' } })
    expect(env.code).toBe(2)
    expect(env.err).toMatch(/ROSETTA_URL 'localhost:3000' must start with http:\/\/ or https:\/\//)
  })
})
